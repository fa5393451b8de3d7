/// A provider's base URL, split into the parts the upstream pool connects with.
///
/// Parsed by hand rather than with Foundation's `URL` because only a narrow form is valid here
/// (http or https, a host, an optional port and path, nothing else), and each way to miss it
/// deserves its own message.
public struct UpstreamURL: Sendable, Hashable, Encodable, CustomStringConvertible {
    /// `http` or `https`.
    public var scheme: String
    /// A DNS name or IP literal (IPv6 without brackets).
    public var host: String
    /// The port, 80 or 443 when the URL names none.
    public var port: Int
    /// The path every request path is appended to: `""` or e.g. `/v1`, never with a trailing slash.
    public var basePath: String

    /// Whether connections to this provider use TLS.
    public var isTLS: Bool { scheme == "https" }

    /// Creates a URL from its parts.
    public init(scheme: String, host: String, port: Int, basePath: String) {
        self.scheme = scheme
        self.host = host
        self.port = port
        self.basePath = basePath
    }

    /// Parses `http(s)://host[:port][/path]`; nil when the text is not such a URL.
    public init?(_ text: String) {
        guard case .success(let parsed) = Self.parse(text) else { return nil }
        self = parsed
    }

    /// The URL as the policy would write it, leaving out a default port.
    public var description: String {
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let defaultPort = isTLS ? 443 : 80
        let portPart = port == defaultPort ? "" : ":\(port)"
        return "\(scheme)://\(bracketed)\(portPart)\(basePath)"
    }

    /// Encodes as the URL string.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension UpstreamURL {
    /// Why a text is not a usable base URL; the phrase goes into the user's error message.
    enum ParseFailure: Error, Hashable {
        case notAURL
        case unsupportedScheme(String)
        case credentials
        case queryOrFragment
        case missingHost
        case badHost
        case badPort
        case badPath

        var reason: String {
            switch self {
            case .notAURL: "it needs a scheme and a host"
            case .unsupportedScheme(let scheme): "scheme '\(scheme)' is not supported; use http or https"
            case .credentials: "credentials do not belong in the URL; use api_key"
            case .queryOrFragment: "a base URL takes no query or fragment"
            case .missingHost: "no host"
            case .badHost: "the host is not a valid name or address"
            case .badPort: "the port must be a number from 1 to 65535"
            case .badPath: "the path may not contain spaces or control characters"
            }
        }
    }

    /// Splits and checks a base URL; a trailing slash on the path is dropped so that joining
    /// `basePath + "/chat/completions"` never doubles it.
    static func parse(_ text: String) -> Result<UpstreamURL, ParseFailure> {
        guard let schemeEnd = text.firstRange(of: "://") else { return .failure(.notAURL) }
        let scheme = text[..<schemeEnd.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            return .failure(scheme.isEmpty ? .notAURL : .unsupportedScheme(scheme))
        }
        let rest = text[schemeEnd.upperBound...]
        if rest.contains("?") || rest.contains("#") { return .failure(.queryOrFragment) }
        let pathStart = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<pathStart]
        if authority.contains("@") { return .failure(.credentials) }

        var host: Substring
        var portText: Substring?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return .failure(.badHost) }
            host = authority[authority.index(after: authority.startIndex)..<close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { return .failure(.badHost) }
                portText = after.dropFirst()
            }
            guard HostPort.isIPv6Literal(host) else { return .failure(.badHost) }
        } else {
            host = authority
            if let colon = authority.lastIndex(of: ":") {
                host = authority[..<colon]
                portText = authority[authority.index(after: colon)...]
            }
            guard !host.isEmpty else { return .failure(.missingHost) }
            guard HostPort.isHostName(host) else { return .failure(.badHost) }
        }

        var port = scheme == "https" ? 443 : 80
        if let portText {
            guard let parsed = HostPort.parsePort(portText), parsed > 0 else { return .failure(.badPort) }
            port = parsed
        }

        var path = rest[pathStart...]
        while path.hasSuffix("/") { path = path.dropLast() }
        guard path.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            return .failure(.badPath)
        }
        return .success(UpstreamURL(scheme: scheme, host: String(host), port: port, basePath: String(path)))
    }
}
