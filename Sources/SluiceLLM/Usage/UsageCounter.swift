/// One token count a provider reports, by where it sits in the response.
enum UsageCounter: Int, CaseIterable {
    // OpenAI chat, completions, embeddings: usage.*
    case openAIPrompt, openAICompletion, openAITotal, openAICached, openAIReasoning
    // Anthropic: usage.* and message_start's message.usage.*
    case anthropicInput, anthropicOutput, anthropicCacheRead, anthropicCacheCreation
    // Gemini: usageMetadata.*
    case geminiPrompt, geminiCandidates, geminiTotal, geminiCached, geminiThoughts
    // Bedrock Converse: usage.* in camelCase
    case bedrockInput, bedrockOutput, bedrockTotal, bedrockCacheRead, bedrockCacheWrite
}

/// The last value seen per ``UsageCounter`` (nil when never seen), held inline rather than in an array.
struct UsageCounts {
    private typealias Storage = InlineArray<19, Int>
    /// Room for every ``UsageCounter``; a test checks that it covers them all.
    static let capacity = Storage.count
    /// `-1` for a count never seen.
    private var values = Storage(repeating: -1)

    subscript(counter: UsageCounter) -> Int? {
        get {
            let raw = values[counter.rawValue]
            return raw < 0 ? nil : raw
        }
        set { values[counter.rawValue] = newValue ?? -1 }
    }
}
