import Logging
import NIOCore
import SluiceLimits
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("LimitGate's background task: how often it wakes")
struct LimitGateTickTests {
    /// A store that answers nothing: only its presence matters here.
    struct IdleStore: RunnableLimitStore {
        func draw(_ bucket: BucketID, spec: BucketSpec, units: Int64) async throws -> LeaseGrant {
            throw CancellationError()
        }
        func giveBack(_ bucket: BucketID, spec: BucketSpec, units: Int64) async throws {}
        func record(_ entries: [SpendEntry]) async throws {}
        func spend(of workload: String, on day: CalendarDay) async throws -> SpendTotals {
            throw CancellationError()
        }
        func run() async {}
    }

    static func gate(store: (any RunnableLimitStore)?) throws -> LimitGate {
        let yaml = TestGateway.policy(
            providers: ["  demo:\n    type: mock\n"], models: "  m:\n    targets: [ { provider: demo } ]\n")
        let loaded = try PolicyLoader.load(yaml: yaml, file: "test.yaml", environment: TestGateway.environment)
        return LimitGate(
            policy: loaded.policy, store: store, instance: "test",
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), metrics: GatewayMetrics())
    }

    @Test("without a shared store it wakes once a second (expiry only), not every 20 ms")
    func idleWithoutStore() throws {
        let gate = try Self.gate(store: nil)
        #expect(gate.tickInterval == .seconds(1))
    }

    @Test("with a shared store it wakes every 20 ms to draw leases")
    func drawsWithStore() throws {
        let gate = try Self.gate(store: IdleStore())
        #expect(gate.tickInterval == LimitGate.drawInterval)
        #expect(LimitGate.drawInterval == .milliseconds(20))
    }
}
