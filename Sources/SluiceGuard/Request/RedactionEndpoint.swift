/// The API a request body belongs to, which decides where its text is.
public enum RedactionEndpoint: Sendable, Hashable {
    /// `POST /v1/chat/completions`: `messages[].content` (string or parts), `name`,
    /// `tool_calls[].function.arguments`, `function_call.arguments`.
    case chatCompletions
    /// `POST /v1/completions`: `prompt` (string or array of strings) and `suffix`.
    case completions
    /// `POST /v1/embeddings`: `input` (string or array of strings).
    case embeddings
    /// `POST /v1/messages` (Anthropic): `system`, and `messages[].content` as a string or
    /// blocks (`text`, `tool_use.input`, `tool_result.content`).
    case anthropicMessages

    /// The selector for the request body's text.
    var requestSelector: TextSelector {
        switch self {
        case .chatCompletions: Self.chatRequest
        case .completions: Self.completionsRequest
        case .embeddings: Self.embeddingsRequest
        case .anthropicMessages: Self.anthropicRequest
        }
    }

    /// The selector for the text of a plain (not streamed) answer: what `output: true` redacts.
    var responseSelector: TextSelector {
        switch self {
        case .chatCompletions, .completions: Self.openAIAnswer
        case .embeddings: TextSelector()
        case .anthropicMessages: TextSelector(members: ["content": TextSelector.anthropicContent])
        }
    }

    private static let chatRequest = TextSelector(members: [
        "messages": TextSelector(elements: TextSelector.openAIMessage)
    ])
    private static let completionsRequest = TextSelector(members: ["prompt": .text, "suffix": .text])
    private static let embeddingsRequest = TextSelector(members: ["input": .text])
    private static let anthropicRequest = TextSelector(members: [
        "system": TextSelector.anthropicContent,
        "messages": TextSelector(elements: TextSelector(members: ["content": TextSelector.anthropicContent])),
    ])
    private static let openAIAnswer = TextSelector(members: [
        "choices": TextSelector(
            elements: TextSelector(members: [
                "message": TextSelector.openAIMessage,
                "text": .text,
            ]))
    ])
}
