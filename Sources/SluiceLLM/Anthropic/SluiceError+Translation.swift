extension SluiceError {
    // MARK: Translating a request into another provider's dialect

    /// 400: `param` has no counterpart in `dialect` (`"Anthropic"`); `hint` says what to send
    /// instead. Raised only when the request is routed to such a provider.
    public static func unsupportedParameter(_ param: String, dialect: String, hint: String) -> SluiceError {
        SluiceError(
            code: .invalidField,
            message: "'\(param)' is not supported when the model is served by \(dialect): \(sentence(hint))",
            param: param, openAICode: "unsupported_parameter")
    }

    /// 400: `param` has a value that `dialect` cannot express; `hint` says which values work.
    public static func unsupportedValue(_ param: String, dialect: String, hint: String) -> SluiceError {
        SluiceError(
            code: .invalidField,
            message: "This value of '\(param)' is not supported when the model is served by \(dialect): "
                + sentence(hint),
            param: param, openAICode: "unsupported_value")
    }

    /// 502: a stream from `provider` ended before its final event, so the answer is incomplete.
    public static func upstreamStreamTruncated(provider: String) -> SluiceError {
        .upstreamProtocol(
            provider: provider,
            detail: "the stream ended before its final event, so the answer is incomplete")
    }

    /// 502: one event of a stream from `provider` is larger than `limit` bytes.
    public static func upstreamEventTooLarge(provider: String, limit: Int) -> SluiceError {
        .upstreamProtocol(
            provider: provider,
            detail: "one event of the stream is larger than \(byteCount(limit)), the most Sluice holds")
    }
}
