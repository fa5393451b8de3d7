import NIOHTTP1

/// Which headers cross the proxy in each direction.
enum UpstreamHeaders {
    /// Never sent upstream from the app: hop-by-hop headers, the app's own credentials (Sluice sets the
    /// provider's), framing that Sluice sets itself, and compression (Sluice reads usage from the answer).
    private static let notForwarded: HeaderNameSet = [
        "host", "authorization", "x-api-key", "api-key", "proxy-authorization", "content-length",
        "content-type", "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding",
        "upgrade", "expect", "accept-encoding", "cookie", "openai-organization", "openai-project",
        "anthropic-version",
    ]

    /// Never relayed back to the app: hop-by-hop headers and framing the app's connection sets itself.
    private static let notRelayedNames = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "set-cookie", "alt-svc",
    ]
    private static let notRelayed = HeaderNameSet(Self.notRelayedNames)

    /// `adding` appends the fields Sluice sets itself, before the headers are made.
    static func forwarded(
        from head: HTTPRequestHead, adding: (inout [(String, String)]) -> Void = { _ in }
    ) -> HTTPHeaders {
        Self.filter(head.headers, dropping: Self.notForwarded, checkingValues: head.version.major >= 2, adding: adding)
    }

    /// The same, and `content-length`: for a body Sluice changes on its way.
    private static let notRelayedWithLength = HeaderNameSet(Self.notRelayedNames + ["content-length"])

    /// The headers of `head` that go back to the app; without `content-length` when `bodyChanges`. `adding`
    /// appends (or replaces) the fields Sluice sets itself, before the headers are made.
    static func relayed(
        from head: HTTPResponseHead, bodyChanges: Bool = false, adding: (inout [(String, String)]) -> Void = { _ in }
    ) -> HTTPHeaders {
        Self.filter(
            head.headers, dropping: bodyChanges ? Self.notRelayedWithLength : Self.notRelayed,
            checkingValues: head.version.major >= 2, adding: adding)
    }

    /// The headers but those named in `names`. With `checkingValues`, also those whose value holds a
    /// control character (other than tab) or DEL: HTTP/2 refuses only NUL, CR and LF in a value, while
    /// HTTP/1.1's parser refuses them all, and the HTTP/1.1 codecs do not re-check what Sluice writes.
    private static func filter(
        _ headers: HTTPHeaders, dropping names: HeaderNameSet, checkingValues: Bool,
        adding: (inout [(String, String)]) -> Void
    ) -> HTTPHeaders {
        // Gathered as an array and made headers once, Sluice's own fields included: `HTTPHeaders.add` checks
        // every name it is given.
        var result: [(String, String)] = []
        result.reserveCapacity(headers.count + 8)
        for (name, value) in headers where !names.contains(name) {
            if checkingValues, value.utf8.contains(where: { ($0 < 0x20 && $0 != 0x09) || $0 == 0x7F }) { continue }
            result.append((name, value))
        }
        adding(&result)
        return HTTPHeaders(result)
    }

    /// `fields` without any named `name` (in any case), and then `name: value`: what `HTTPHeaders`'s
    /// `replaceOrAdd` does.
    static func replaceOrAdd(_ name: String, _ value: String, in fields: inout [(String, String)]) {
        fields.removeAll { $0.0.utf8.count == name.utf8.count && $0.0.lowercased() == name.lowercased() }
        fields.append((name, value))
    }
}

/// A few lowercase header names, looked up without hashing or lowercasing: by length, then bytes
/// compared ignoring ASCII case (`| 0x20`, exact for the letters and `-` of token names). Every request and
/// every answer passes each of its headers through one.
struct HeaderNameSet: ExpressibleByArrayLiteral {
    /// `byLength[n]`: the names of `n` bytes.
    private var byLength: [[[UInt8]]] = []

    init(arrayLiteral names: String...) {
        self.init(names)
    }

    init(_ names: [String]) {
        for name in names {
            let bytes = Array(name.lowercased().utf8)
            while self.byLength.count <= bytes.count { self.byLength.append([]) }
            self.byLength[bytes.count].append(bytes)
        }
    }

    func contains(_ name: String) -> Bool {
        let count = name.utf8.count
        guard count < self.byLength.count, !self.byLength[count].isEmpty else { return false }
        var name = name
        return name.withUTF8 { bytes in
            self.byLength[count].contains { candidate in
                for index in 0..<count where bytes[index] | 0x20 != candidate[index] | 0x20 {
                    return false
                }
                return true
            }
        }
    }
}
