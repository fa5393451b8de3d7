import NIOHTTP1

/// Which headers cross the proxy in each direction.
enum UpstreamHeaders {
    /// Never sent upstream from the app: hop-by-hop headers, the app's own credentials (Sluice sets the
    /// provider's), framing that Sluice sets itself, and compression (Sluice reads usage from the answer).
    private static let notForwarded: Set<String> = [
        "host", "authorization", "x-api-key", "api-key", "proxy-authorization", "content-length",
        "content-type", "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "expect", "accept-encoding", "cookie", "openai-organization", "openai-project",
    ]

    /// Never relayed back to the app: hop-by-hop headers and framing the app's connection sets itself.
    private static let notRelayed: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "set-cookie", "alt-svc",
    ]

    static func forwarded(from headers: HTTPHeaders) -> HTTPHeaders {
        var result = HTTPHeaders()
        for (name, value) in headers where !Self.notForwarded.contains(name.lowercased()) {
            result.add(name: name, value: value)
        }
        return result
    }

    static func relayed(from headers: HTTPHeaders) -> HTTPHeaders {
        var result = HTTPHeaders()
        for (name, value) in headers where !Self.notRelayed.contains(name.lowercased()) {
            result.add(name: name, value: value)
        }
        return result
    }
}
