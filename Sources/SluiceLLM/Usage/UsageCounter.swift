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
