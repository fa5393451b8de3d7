import NIOHTTP1

/// Which headers cross the proxy in each direction.
enum UpstreamHeaders {
    /// Never sent upstream from the app: hop-by-hop headers, the app's own credentials (Sluice sets the
    /// provider's), framing that Sluice sets itself, and compression (Sluice reads usage from the answer).
    private static let notForwarded: Set<String> = [
        "host", "authorization", "x-api-key", "api-key", "proxy-authorization", "content-length",
        "content-type", "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "expect", "accept-encoding", "cookie", "openai-organization", "openai-project",
        "anthropic-version",
    ]

    /// Never relayed back to the app: hop-by-hop headers and framing the app's connection sets itself.
    private static let notRelayed: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "set-cookie", "alt-svc",
    ]

    static func forwarded(from headers: HTTPHeaders) -> HTTPHeaders {
        Self.filter(headers, dropping: Self.notForwarded)
    }

    static func relayed(from headers: HTTPHeaders) -> HTTPHeaders {
        Self.filter(headers, dropping: Self.notRelayed)
    }

    private static func filter(_ headers: HTTPHeaders, dropping names: Set<String>) -> HTTPHeaders {
        var result = HTTPHeaders()
        result.reserveCapacity(headers.count + 4)
        for (name, value) in headers where !names.contains(Self.lowercased(name)) {
            result.add(name: name, value: value)
        }
        return result
    }

    /// Header names usually arrive lowercase already (HTTP/2 requires it): skip the copy then.
    private static func lowercased(_ name: String) -> String {
        name.utf8.contains(where: { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }) ? name.lowercased() : name
    }
}
