/// A provider's error answer that says something a fallback can act on: the prompt does not fit
/// this model's context, or the provider's content filter refused it. Read from the error body of
/// OpenAI-compatible providers (Azure included) and Anthropic.
public enum ProviderRefusal: Sendable, Hashable {
    /// The prompt is longer than the model's context window; a target with a larger one may
    /// take it.
    case contextLength
    /// The provider's content policy refused the request; another provider's may not.
    case contentFilter

    /// The statuses such answers come with.
    public static func mayClassify(status: Int) -> Bool {
        status == 400 || status == 413 || status == 422
    }

    private static let query = BodyScan.Query(fields: ["type"], members: ["error": ["code", "type", "message"]])

    /// Classifies an error answer; nil when it is neither (a caller's ordinary 4xx).
    ///
    /// - OpenAI: `error.code` `context_length_exceeded`, or a message about the maximum context
    ///   length; `content_filter` (Azure) or `content_policy_violation`.
    /// - Anthropic: `invalid_request_error` whose message starts "prompt is too long".
    public static func classify(status: Int, body: [UInt8]) -> ProviderRefusal? {
        guard mayClassify(status: status), let scan = try? BodyScan.scan(body, query: query) else { return nil }
        let code = scan["error", "code"]?.string?.lowercased() ?? ""
        let message = scan["error", "message"]?.string?.lowercased() ?? ""
        if code == "context_length_exceeded" || code == "string_above_max_length"
            || message.contains("maximum context length") || message.hasPrefix("prompt is too long")
            || message.contains("context window")
        {
            return .contextLength
        }
        if code == "content_filter" || code == "content_policy_violation"
            || message.contains("content management policy") || message.contains("content filtering policy")
        {
            return .contentFilter
        }
        return nil
    }
}
