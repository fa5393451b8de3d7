extension AttemptFailure {
    /// The timeouts of a provider's policy, and the request's own deadline.
    public enum TimeoutKind: String, Sendable, Hashable {
        /// TCP connect and TLS handshake.
        case connect
        /// The response head.
        case firstByte = "first_byte"
        /// The first content of a stream.
        case firstToken = "first_token"
        /// A silence between two parts of a stream.
        case idle
        /// The request's total time; nothing more is tried after it.
        case total
    }
}
