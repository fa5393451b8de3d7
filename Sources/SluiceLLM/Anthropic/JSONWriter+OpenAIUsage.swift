extension JSONWriter {
    /// OpenAI's chat `usage` object: `prompt_tokens`, `completion_tokens`, `total_tokens` and
    /// `prompt_tokens_details.cached_tokens`.
    mutating func openAIUsage(_ usage: Usage) {
        beginObject()
        field("prompt_tokens", usage.promptTokens)
        field("completion_tokens", usage.completionTokens)
        field("total_tokens", usage.totalTokens)
        key("prompt_tokens_details")
        beginObject()
        field("cached_tokens", usage.cachedTokens)
        endObject()
        endObject()
    }
}
