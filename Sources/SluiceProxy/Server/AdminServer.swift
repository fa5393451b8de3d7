import NIOCore
import NIOHTTP1
import NIOPosix
import SluiceLLM
import SluicePolicy
import SluiceRouting

/// The operator's listener: `/healthz`, `/readyz`, `/metrics`, `/config`.
///
/// Off the request path, so it is written with `NIOAsyncChannel` and structured concurrency.
struct AdminServer {
    typealias Connection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

    let gateway: GatewayState
    let isReady: @Sendable () -> Bool

    func bind(host: String, port: Int, group: any EventLoopGroup) async throws -> NIOAsyncChannel<Connection, Never> {
        try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    return try Connection(wrappingChannelSynchronously: channel)
                }
            }
    }

    /// Serves connections until the listener closes.
    func serve(_ listener: NIOAsyncChannel<Connection, Never>) async {
        try? await listener.executeThenClose { inbound in
            try await withThrowingDiscardingTaskGroup { group in
                for try await connection in inbound {
                    group.addTask { await self.handle(connection) }
                }
            }
        }
    }

    private func handle(_ connection: Connection) async {
        try? await connection.executeThenClose { inbound, outbound in
            var head: HTTPRequestHead?
            for try await part in inbound {
                switch part {
                case .head(let requestHead): head = requestHead
                case .body: break
                case .end:
                    guard let requestHead = head else { continue }
                    let (status, contentType, body) = self.answer(requestHead)
                    var headers = HTTPHeaders()
                    headers.add(name: "content-type", value: contentType)
                    headers.add(name: "content-length", value: String(body.utf8.count))
                    try await outbound.write(.head(HTTPResponseHead(version: .http1_1, status: status, headers: headers)))
                    try await outbound.write(.body(.byteBuffer(ByteBuffer(string: body))))
                    try await outbound.write(.end(nil))
                    if !requestHead.isKeepAlive { return }
                }
            }
        }
    }

    /// A small status page: what this sidecar serves and since when.
    func status() -> String {
        let snapshot = self.gateway.snapshot
        let uptime = Double((NIODeadline.now() - self.gateway.createdAt).nanoseconds / 1_000_000) / 1000
        let models = snapshot.modelNames.map { name -> String in
            let route = snapshot.routes[name]!
            return "{\"name\":\(JSONText.quoted(name)),\"provider\":\(JSONText.quoted(route.provider.name)),"
                + "\"upstream_model\":\(JSONText.quoted(route.upstreamModel ?? name))}"
        }
        let providers = snapshot.providers.keys.sorted().map { name -> String in
            let provider = snapshot.providers[name]!
            let origin = provider.upstream.map { "\($0.key)\($0.basePath)" }
            return "{\"name\":\(JSONText.quoted(name)),\"type\":\(JSONText.quoted(provider.type.rawValue)),"
                + "\"base_url\":\(origin.map(JSONText.quoted) ?? "null")}"
        }
        let targets = self.gateway.targetStatuses().map { status -> String in
            let latency = status.latency.map { String(Double($0.nanosecondsClamped / 1000) / 1000) } ?? "null"
            return "{\"target\":\(JSONText.quoted(status.key.description)),\"breaker\":\"\(status.breaker.rawValue)\","
                + "\"available\":\(status.isAvailable),\"consecutive_failures\":\(status.consecutiveFailures),"
                + "\"latency_ms\":\(latency),\"in_flight\":\(status.inFlight),"
                + "\"successes\":\(status.successes),\"failures\":\(status.failures)}"
        }
        return "{\"ready\":\(self.isReady()),\"uptime_s\":\(uptime),"
            + "\"policy_sha256\":\(JSONText.quoted(snapshot.loaded.sha256)),"
            + "\"policy_loaded_at\":\(JSONText.quoted(ISO8601.format(snapshot.loadedAt))),"
            + "\"models\":[\(models.joined(separator: ","))],\"providers\":[\(providers.joined(separator: ","))],"
            + "\"targets\":[\(targets.joined(separator: ","))],"
            + "\"limits\":\(self.gateway.limits.statusJSON())}\n"
    }

    func answer(_ head: HTTPRequestHead) -> (HTTPResponseStatus, String, String) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard head.method == .GET || head.method == .HEAD else {
            return (.methodNotAllowed, "text/plain", "only GET is served here\n")
        }
        switch path {
        case "/healthz":
            return (.ok, "text/plain", "ok\n")
        case "/readyz":
            // The limits store's state is detail, not readiness: fail_open serves through an outage,
            // and fail_closed answers each limited request with a clear 503.
            let detail = self.gateway.limits.storeDetail + "\n"
            return self.isReady() ? (.ok, "text/plain", "ready\n" + detail) : (.serviceUnavailable, "text/plain", "not ready\n" + detail)
        case "/metrics":
            return (.ok, "text/plain; version=0.0.4; charset=utf-8", self.gateway.metrics.render())
        case "/config":
            let snapshot = self.gateway.snapshot
            let reloads = self.gateway.reloads
            let body =
                "{\"sha256\":\(JSONText.quoted(snapshot.loaded.sha256)),"
                + "\"loaded_at\":\(JSONText.quoted(ISO8601.format(snapshot.loadedAt))),"
                + "\"reloads\":\(reloads.ok),\"failed_reloads\":\(reloads.failed),"
                + "\"last_error\":\(reloads.lastError.map(JSONText.quoted) ?? "null"),"
                + "\"policy\":\(snapshot.loaded.redactedJSON())}\n"
            return (.ok, "application/json", body)
        case "/status":
            return (.ok, "application/json", self.status())
        default:
            return (.notFound, "text/plain", "not found: \(path); try /healthz, /readyz, /metrics, /config, /status\n")
        }
    }
}
