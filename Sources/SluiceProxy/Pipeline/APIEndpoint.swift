import NIOHTTP1

/// The app-facing API paths Sluice serves, recognised with or without the `/v1` prefix
/// (SDKs differ in whether the base URL carries it).
enum APIEndpoint: Sendable, Hashable {
    case chatCompletions
    case completions
    case embeddings
    case models

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

    /// Matches a request target, ignoring any query string.
    static func match(uri: String) -> APIEndpoint? {
        var path = Substring(uri)
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<query] }
        if path.hasSuffix("/") && path.count > 1 { path = path.dropLast() }
        if path.hasPrefix("/v1/") { path = path.dropFirst(3) }
        switch path {
        case "/chat/completions": return .chatCompletions
        case "/completions": return .completions
        case "/embeddings": return .embeddings
        case "/models": return .models
        default: return nil
        }
    }
}
