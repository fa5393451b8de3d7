import NIOCore
import SluiceLLM

extension SluiceError {
    /// The API error for an upstream failure of `provider`: 504 for timeouts, 502 for everything else.
    static func from(_ error: UpstreamError, provider: String) -> SluiceError {
        switch error {
        case .connect(let host, let reason):
            return .upstreamUnreachable(provider: provider, host: host, reason: reason)
        case .tls(let host, let reason):
            return .upstreamTLS(provider: provider, host: host, reason: reason)
        case .timeout(_, let phase, let after):
            let which: UpstreamTimeout =
                switch phase {
                case "connect": .connect
                case "idle": .idle
                case "first_token": .firstToken
                case "total": .total
                default: .firstByte
                }
            return .upstreamTimeout(provider: provider, timeout: which, after: .nanoseconds(after.nanoseconds))
        case .closed(let host, let afterHead):
            let reason =
                afterHead
                ? "the connection closed in the middle of the answer" : "the connection closed before any answer"
            return .upstreamUnreachable(provider: provider, host: host, reason: reason)
        case .malformed(_, let reason):
            return .upstreamProtocol(provider: provider, detail: reason)
        case .cancelled:
            return .upstreamUnreachable(provider: provider, host: "-", reason: "the request was cancelled")
        }
    }
}
