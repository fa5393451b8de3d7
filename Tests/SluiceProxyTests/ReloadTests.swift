#if canImport(Glibc)
import Glibc
#endif
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import SluicePolicy
import Testing

@testable import SluiceProxy

@Suite("Applying a reloaded policy")
struct ReloadTests {
    static func policy(app: String, models: [String]) -> String {
        """
        \(TestGateway.prelude(app: app))
        providers:
          demo:
            type: mock
        models:
        \(models.map { "  \($0):\n    targets: [ { provider: demo } ]" }.joined(separator: "\n"))
        """
    }

    static func load(_ yaml: String) throws -> LoadedPolicy {
        try PolicyLoader.load(yaml: yaml, file: "reload.yaml", environment: .inMemory())
    }

    @Test("a policy file rewritten after it was loaded, before the watcher first looked, is still reloaded")
    func changedBeforeWatching() async throws {
        let directory = "/tmp/sluice-reload-\(UInt64.random(in: 0...UInt64.max))"
        try FileManagerless.makeDirectory(directory)
        defer { FileManagerless.remove(directory) }
        let path = directory + "/policy.yaml"
        let loadedText = Self.policy(app: "127.0.0.1:0", models: ["a"])
        let gateway = try await TestGateway.start(policy: loadedText)
        // The file already says something else when the reloader starts (a ConfigMap updated during start-up).
        try FileManagerless.write(Self.policy(app: "127.0.0.1:0", models: ["a", "b"]), to: path)
        let reloader = PolicyReloader(path: path, gateway: gateway.gateway, environment: .process, interval: .milliseconds(20))
        let group = ServiceGroup(services: [reloader], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let running = Task { try await group.run() }
        let deadline = ContinuousClock.now + .seconds(10)
        while !gateway.gateway.state.snapshot.modelNames.contains("b"), ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(gateway.gateway.state.snapshot.modelNames.contains("b"))
        await group.triggerGracefulShutdown()
        try await running.value
        await gateway.stop()
    }

    @Test("new requests get the new policy; the listener stays when its address did not change")
    func swap() async throws {
        let gateway = try await TestGateway.start(policy: Self.policy(app: "127.0.0.1:0", models: ["a"]))
        #expect(await gateway.gateway.apply(try Self.load(Self.policy(app: "127.0.0.1:0", models: ["a", "b"]))))
        let client = try await gateway.client()
        let models = try await client.send(.GET, "/v1/models")
        #expect(models.body.contains("\"b\""))
        #expect(gateway.gateway.addresses?.app.port == gateway.appPort)
        await client.close()
        await gateway.stop()
    }

    @Test("a new app address is bound before the old one closes")
    func rebind() async throws {
        let gateway = try await TestGateway.start(policy: Self.policy(app: "127.0.0.1:0", models: ["a"]))
        let free = try await Self.freePort()
        #expect(await gateway.gateway.apply(try Self.load(Self.policy(app: "127.0.0.1:\(free)", models: ["a"]))))
        #expect(gateway.gateway.addresses?.app.port == free)
        let client = try await TestClient(port: free, group: MultiThreadedEventLoopGroup.singleton)
        #expect(try await client.send(.GET, "/v1/models").status == 200)
        await client.close()
        await #expect(throws: (any Error).self) {
            _ = try await TestClient(port: gateway.appPort, group: MultiThreadedEventLoopGroup.singleton)
        }
        await gateway.stop()
    }

    @Test("an address that cannot be bound keeps the old listener and the old policy")
    func bindFailure() async throws {
        let gateway = try await TestGateway.start(policy: Self.policy(app: "127.0.0.1:0", models: ["a"]))
        let blocker = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let taken = blocker.localAddress!.port!
        #expect(!(await gateway.gateway.apply(try Self.load(Self.policy(app: "127.0.0.1:\(taken)", models: ["a", "b"])))))
        #expect(gateway.gateway.addresses?.app.port == gateway.appPort)
        #expect(gateway.gateway.state.reloads.lastError?.contains("cannot listen on the new address") == true)
        let client = try await gateway.client()
        let models = try await client.send(.GET, "/v1/models")
        #expect(!models.body.contains("\"b\""))
        await client.close()
        try await blocker.close()
        await gateway.stop()
    }

    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress!.port!
        try await channel.close()
        return port
    }
}

/// Files for the reload tests, through libc (the test target does not import Foundation).
enum FileManagerless {
    static func makeDirectory(_ path: String) throws {
        guard mkdir(path, 0o700) == 0 else { throw Failure(what: "mkdir \(path)") }
    }

    static func write(_ text: String, to path: String) throws {
        guard let file = fopen(path, "w") else { throw Failure(what: "open \(path)") }
        defer { fclose(file) }
        guard fputs(text, file) >= 0 else { throw Failure(what: "write \(path)") }
    }

    static func remove(_ directory: String) {
        _ = unlink(directory + "/policy.yaml")
        _ = rmdir(directory)
    }

    struct Failure: Error { var what: String }
}
