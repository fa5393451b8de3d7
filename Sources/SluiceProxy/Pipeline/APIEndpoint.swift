import NIOHTTP1

/// The app-facing API paths Sluice serves, recognised with or without the `/v1` prefix
/// (SDKs differ in whether the base URL carries it).
enum APIEndpoint: Sendable, Hashable, CaseIterable {
    case chatCompletions
    case completions
    case embeddings
    case models

    /// Its place in `allCases`, found without searching it.
    var ordinal: Int {
        switch self {
        case .chatCompletions: 0
        case .completions: 1
        case .embeddings: 2
        case .models: 3
        }
    }

    /// The path suffix appended to a provider's base URL.
    var upstreamSuffix: String {
        switch self {
        case .chatCompletions: "/chat/completions"
        case .completions: "/completions"
        case .embeddings: "/embeddings"
        case .models: "/models"
        }
    }

    var method: HTTPMethod {
        self == .models ? .GET : .POST
    }

    /// The body field each POST endpoint cannot do without, checked before routing.
    var requiredField: String? {
        switch self {
        case .chatCompletions: "messages"
        case .completions: "prompt"
        case .embeddings: "input"
        case .models: nil
        }
    }

    /// Matches a request target, ignoring any query string and one trailing slash. Compares bytes,
    /// not characters: it runs once per request.
    static func match(uri: String) -> APIEndpoint? {
        var uri = uri
        return uri.withUTF8 { bytes in
            var end = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.count
            if end > 1, bytes[end - 1] == UInt8(ascii: "/") { end -= 1 }
            var path = UnsafeBufferPointer(rebasing: bytes[..<end])
            if path.starts(with: "/v1/".utf8) { path = UnsafeBufferPointer(rebasing: path[3...]) }
            if path.elementsEqual("/chat/completions".utf8) { return .chatCompletions }
            if path.elementsEqual("/completions".utf8) { return .completions }
            if path.elementsEqual("/embeddings".utf8) { return .embeddings }
            if path.elementsEqual("/models".utf8) { return .models }
            return nil
        }
    }
}
