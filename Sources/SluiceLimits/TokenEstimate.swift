/// The token counts Sluice admits a request on before the provider says what it used.
///
/// The estimate only has to be cheap and rarely low: the request is admitted and reserved on
/// it, and settled on the real `usage` when the answer ends, when the difference is given back
/// (or charged, if the estimate was low).
public enum TokenEstimate {
    /// Prompt tokens of a request whose message text is `textBytes` UTF-8 bytes in `messages`
    /// messages: `ceil(textBytes / 4) + 4 × messages + 3`.
    ///
    /// Why this over-estimates English: OpenAI's tokenizers (`cl100k_base`, `o200k_base`)
    /// average about 4 characters (bytes, for ASCII) per token on English prose, and a little
    /// more on `o200k_base`; and a chat message costs 3 tokens of framing on current models
    /// (4 on the oldest), plus 3 to prime the reply (OpenAI's cookbook, "How to count tokens
    /// with tiktoken"). Rounding the bytes up and using 4 per message keeps the sum at or above
    /// the real count for typical English and JSON. Text that tokenizes more densely (CJK,
    /// base64, long numbers) can be under-estimated; settlement corrects it, and the bucket
    /// carries the difference as debt.
    public static func promptTokens(textBytes: Int, messages: Int) -> Int64 {
        let bytes = Int128(max(0, textBytes))
        let messageCount = Int128(max(0, messages))
        return Int64(clamping: (bytes + 3) / 4 + 4 * messageCount + 3)
    }

    /// The tokens to reserve for a request: its prompt plus the completion it may produce,
    /// `max_tokens` (or `max_completion_tokens`) when the request says, else the policy's
    /// default. Negative inputs count as 0; the sum saturates at `Int64.max`.
    public static func reservation(prompt: Int64, maxTokens: Int64?, defaultCompletion: Int64) -> Int64 {
        let completion = max(0, maxTokens ?? defaultCompletion)
        let (sum, overflow) = max(0, prompt).addingReportingOverflow(completion)
        return overflow ? .max : sum
    }
}
