extension SluiceError {
    /// The timeout of `providers.<name>.timeouts` that fired.
    public enum UpstreamTimeout: String, Sendable, Hashable {
        case connect
        case firstByte = "first_byte"
        case firstToken = "first_token"
        case idle
        case total
    }

    /// 502: Sluice could not open a connection to `host` of `provider`; `reason` is short
    /// (`"connection refused"`, `"no DNS record"`).
    public static func upstreamUnreachable(
        provider: String, host: String, reason: String, cause: (any Error & Sendable)? = nil
    ) -> SluiceError {
        SluiceError(
            code: .upstreamUnreachable,
            message: "Sluice could not reach provider '\(provider)' at \(host): \(reason). "
                + "Check the provider's base_url and that this pod may connect to it.",
            cause: cause)
    }

    /// 502: the certificate of `host` was not trusted; `reason` says why
    /// (`"certificate has expired"`, `"self-signed certificate"`, `"hostname mismatch"`).
    public static func upstreamTLS(
        provider: String, host: String, reason: String, cause: (any Error & Sendable)? = nil
    ) -> SluiceError {
        SluiceError(
            code: .upstreamTLS,
            message: "The TLS certificate of \(host) (provider '\(provider)') was not trusted: \(reason). "
                + "Check the provider's base_url and the CA certificates available to Sluice.",
            cause: cause)
    }

    /// 504: `provider` did not answer within `after`, the `timeout` of its policy.
    public static func upstreamTimeout(provider: String, timeout: UpstreamTimeout, after: Duration) -> SluiceError {
        let what =
            switch timeout {
            case .connect: "did not accept a connection"
            case .firstByte: "did not start its response"
            case .firstToken: "sent no content"
            case .idle: "stopped sending its response"
            case .total: "did not finish its response"
            }
        return SluiceError(
            code: .upstreamTimeout,
            message: "Provider '\(provider)' \(what) within \(durationText(after)) "
                + "(providers.\(provider).timeouts.\(timeout.rawValue)). Try again, or raise the timeout in the policy."
        )
    }

    /// 502: `provider` sent something Sluice could not read; `detail` says what.
    public static func upstreamProtocol(
        provider: String, detail: String, cause: (any Error & Sendable)? = nil
    ) -> SluiceError {
        SluiceError(
            code: .upstreamProtocol,
            message: "Provider '\(provider)' sent a response Sluice could not read: \(sentence(detail))",
            cause: cause)
    }

    /// 503: every target of `model` is failing or has its circuit open.
    public static func noHealthyTarget(model: String) -> SluiceError {
        SluiceError(
            code: .noHealthyTarget,
            message: "No healthy target for model '\(model)': every provider in its targets is failing "
                + "or resting after failures. Try again shortly.",
            retryAfterSeconds: 1)
    }

    /// 500: a bug in Sluice; `detail` must not contain secrets or request content.
    public static func `internal`(_ detail: String, cause: (any Error & Sendable)? = nil) -> SluiceError {
        SluiceError(
            code: .internal,
            message: "Sluice hit an internal error: \(sentence(detail)) "
                + "Please report it with this response's x-request-id.",
            cause: cause)
    }

    /// 503: this Sluice is draining for shutdown and takes no new requests.
    public static func shuttingDown() -> SluiceError {
        SluiceError(
            code: .shuttingDown,
            message: "This Sluice is shutting down and takes no new requests. Retry; its replacement will answer.",
            retryAfterSeconds: 1)
    }

    /// `250ms`, `30s`, `1.5s`, `2m`: the policy file's duration style.
    static func durationText(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        if milliseconds < 1000 { return "\(milliseconds)ms" }
        if milliseconds % 60_000 == 0 { return "\(milliseconds / 60_000)m" }
        if milliseconds % 1000 == 0 { return "\(milliseconds / 1000)s" }
        var fraction = String(milliseconds % 1000)
        fraction = String(repeating: "0", count: 3 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return "\(milliseconds / 1000).\(fraction)s"
    }
}
