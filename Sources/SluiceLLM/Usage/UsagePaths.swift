/// The object paths under which providers report usage, as a tiny graph of nodes: a key inside
/// an object at a node leads to a deeper node (an object worth entering) or to a counter.
///
/// The keys of the four dialects do not collide (`prompt_tokens`, `input_tokens`, `inputTokens`,
/// `promptTokenCount`), so one graph serves every provider and the sniffer need not be told which.
enum UsagePaths {
    enum Target: Equatable {
        case node(Int)
        case counter(UsageCounter)
    }

    static let root = 0
    private static let usage = 1
    private static let message = 2
    private static let usageMetadata = 3
    private static let promptDetails = 4
    private static let completionDetails = 5

    /// The longest key worth remembering; longer keys cannot match.
    static let maxKeyLength = 32

    private struct Edge {
        let node: Int
        let key: [UInt8]
        let target: Target

        init(_ node: Int, _ key: String, _ target: Target) {
            self.node = node
            self.key = Array(key.utf8)
            self.target = target
        }
    }

    private static let edges: [Edge] = [
        Edge(root, "usage", .node(usage)),
        Edge(root, "message", .node(message)),
        Edge(root, "usageMetadata", .node(usageMetadata)),
        Edge(message, "usage", .node(usage)),
        Edge(usage, "prompt_tokens", .counter(.openAIPrompt)),
        Edge(usage, "completion_tokens", .counter(.openAICompletion)),
        Edge(usage, "total_tokens", .counter(.openAITotal)),
        Edge(usage, "prompt_tokens_details", .node(promptDetails)),
        Edge(usage, "completion_tokens_details", .node(completionDetails)),
        Edge(promptDetails, "cached_tokens", .counter(.openAICached)),
        Edge(completionDetails, "reasoning_tokens", .counter(.openAIReasoning)),
        Edge(usage, "input_tokens", .counter(.anthropicInput)),
        Edge(usage, "output_tokens", .counter(.anthropicOutput)),
        Edge(usage, "cache_read_input_tokens", .counter(.anthropicCacheRead)),
        Edge(usage, "cache_creation_input_tokens", .counter(.anthropicCacheCreation)),
        Edge(usage, "inputTokens", .counter(.bedrockInput)),
        Edge(usage, "outputTokens", .counter(.bedrockOutput)),
        Edge(usage, "totalTokens", .counter(.bedrockTotal)),
        Edge(usage, "cacheReadInputTokens", .counter(.bedrockCacheRead)),
        Edge(usage, "cacheWriteInputTokens", .counter(.bedrockCacheWrite)),
        Edge(usageMetadata, "promptTokenCount", .counter(.geminiPrompt)),
        Edge(usageMetadata, "candidatesTokenCount", .counter(.geminiCandidates)),
        Edge(usageMetadata, "totalTokenCount", .counter(.geminiTotal)),
        Edge(usageMetadata, "cachedContentTokenCount", .counter(.geminiCached)),
        Edge(usageMetadata, "thoughtsTokenCount", .counter(.geminiThoughts)),
    ]

    /// The edges leaving each node, indexed by node.
    private static let children: [[Edge]] = (0...completionDetails).map { node in edges.filter { $0.node == node } }

    /// Where `key` inside an object at `node` leads, if anywhere.
    static func target(from node: Int, key: Span<UInt8>) -> Target? {
        edges: for edge in children[node] where edge.key.count == key.count {
            for index in 0..<key.count where edge.key[index] != key[index] { continue edges }
            return edge.target
        }
        return nil
    }

    /// Turns the counts seen into a ``Usage``; nil when none was seen.
    static func usage(from counters: UsageCounts) -> Usage? {
        func value(_ counter: UsageCounter) -> Int? { counters[counter] }
        func any(_ family: [UsageCounter]) -> Bool { family.contains { value($0) != nil } }

        if any([.openAIPrompt, .openAICompletion, .openAITotal]) {
            let prompt = value(.openAIPrompt) ?? 0
            let completion = value(.openAICompletion) ?? 0
            return Usage(
                promptTokens: prompt, completionTokens: completion,
                totalTokens: value(.openAITotal) ?? prompt + completion,
                cachedTokens: value(.openAICached) ?? 0, reasoningTokens: value(.openAIReasoning) ?? 0)
        }
        if any([.anthropicInput, .anthropicOutput]) {
            let read = value(.anthropicCacheRead) ?? 0
            let write = value(.anthropicCacheCreation) ?? 0
            return Usage(
                promptTokens: (value(.anthropicInput) ?? 0) + read + write,
                completionTokens: value(.anthropicOutput) ?? 0,
                cachedTokens: read, cacheCreationTokens: write)
        }
        if any([.geminiPrompt, .geminiCandidates, .geminiTotal]) {
            let prompt = value(.geminiPrompt) ?? 0
            let thoughts = value(.geminiThoughts) ?? 0
            let completion = (value(.geminiCandidates) ?? 0) + thoughts
            return Usage(
                promptTokens: prompt, completionTokens: completion,
                totalTokens: value(.geminiTotal) ?? prompt + completion,
                cachedTokens: value(.geminiCached) ?? 0, reasoningTokens: thoughts)
        }
        if any([.bedrockInput, .bedrockOutput, .bedrockTotal]) {
            let read = value(.bedrockCacheRead) ?? 0
            let write = value(.bedrockCacheWrite) ?? 0
            let prompt = (value(.bedrockInput) ?? 0) + read + write
            let completion = value(.bedrockOutput) ?? 0
            return Usage(
                promptTokens: prompt, completionTokens: completion,
                totalTokens: value(.bedrockTotal) ?? prompt + completion,
                cachedTokens: read, cacheCreationTokens: write)
        }
        return nil
    }
}
