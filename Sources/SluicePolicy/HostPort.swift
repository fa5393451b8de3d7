/// An address to listen on, written `HOST:PORT` in the policy (`[HOST]:PORT` for IPv6).
public struct HostPort: Sendable, Hashable, Encodable, CustomStringConvertible {
    /// `127.0.0.1`, `::1` (without brackets), `localhost`, `0.0.0.0`.
    public var host: String
    /// 0...65535; 0 asks the system for a free port (tests use it).
    public var port: Int

    /// Creates an address from its parts.
    public init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// Parses `HOST:PORT` or `[IPV6]:PORT`; nil when the text is not such an address.
    public init?(_ text: String) {
        guard case .success(let parsed) = Self.parse(text) else { return nil }
        self = parsed
    }

    /// The admin listener's address when the policy does not name one.
    public static let defaultAdmin = HostPort(host: "127.0.0.1", port: 9901)

    /// `host:port`, with the host in brackets when it is an IPv6 address, as the policy writes it.
    public var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }

    /// Whether the host binds every interface, and so collides with any address on the same port.
    var isWildcard: Bool { host == "0.0.0.0" || host == "::" }

    /// Whether binding both addresses at once would fail with "address in use".
    ///
    /// Port 0 never collides: each listener gets its own ephemeral port.
    func collides(with other: HostPort) -> Bool {
        guard port != 0, port == other.port else { return false }
        return host == other.host || isWildcard || other.isWildcard
    }

    /// Encodes as the string the policy uses, e.g. `"127.0.0.1:4000"`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension HostPort {
    /// Why a text is not a `HOST:PORT` address; the phrase goes into the user's error message.
    enum ParseFailure: Error, Hashable {
        case missingPort
        case missingHost
        case badPort
        case unbracketedIPv6
        case badHost

        var reason: String {
            switch self {
            case .missingPort: "no port"
            case .missingHost: "no host"
            case .badPort: "the port must be a number from 0 to 65535"
            case .unbracketedIPv6: "IPv6 addresses need brackets"
            case .badHost:
                "the host may contain only letters, digits, '.', '-' and '_', or be an IPv6 address in brackets"
            }
        }
    }

    /// Splits and checks `HOST:PORT`; IPv6 hosts must be bracketed, since their colons would
    /// make the port ambiguous.
    static func parse(_ text: String) -> Result<HostPort, ParseFailure> {
        let host: Substring
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return .failure(.badHost) }
            host = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { return .failure(.missingPort) }
            portText = rest.dropFirst()
            guard isIPv6Literal(host) else { return .failure(.badHost) }
        } else {
            guard let colon = text.lastIndex(of: ":") else { return .failure(.missingPort) }
            host = text[..<colon]
            portText = text[text.index(after: colon)...]
            if host.contains(":") { return .failure(.unbracketedIPv6) }
            guard !host.isEmpty else { return .failure(.missingHost) }
            guard isHostName(host) else { return .failure(.badHost) }
        }
        guard let port = parsePort(portText) else {
            return .failure(portText.isEmpty ? .missingPort : .badPort)
        }
        return .success(HostPort(host: String(host), port: port))
    }

    /// A decimal port 0...65535 with no sign or spaces.
    static func parsePort(_ text: Substring) -> Int? {
        guard !text.isEmpty, text.count <= 5, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        guard let port = Int(text), port <= 65535 else { return nil }
        return port
    }

    /// A DNS name or IPv4 literal: the characters are checked, resolution is the socket's job.
    static func isHostName(_ text: Substring) -> Bool {
        !text.isEmpty
            && text.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || scalar == "." || scalar == "-" || scalar == "_")
            }
    }

    /// The characters of an IPv6 literal (hex digits, colons, an embedded IPv4 tail, a `%zone`).
    static func isIPv6Literal(_ text: Substring) -> Bool {
        let address = text.split(separator: "%", maxSplits: 1, omittingEmptySubsequences: false)
        guard let first = address.first, first.contains(":") else { return false }
        let valid = first.unicodeScalars.allSatisfy {
            $0.isASCII && ($0.properties.isASCIIHexDigit || $0 == ":" || $0 == ".")
        }
        return valid && (address.count == 1 || isHostName(address[1]))
    }
}
