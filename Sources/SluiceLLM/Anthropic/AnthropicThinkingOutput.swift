/// What becomes of Claude's extended thinking (`thinking` blocks) in an OpenAI answer, which has
/// no standard place for it.
///
/// `redacted_thinking` blocks and thinking signatures are always dropped: they are opaque, and
/// an OpenAI client has no way to send them back in a later turn. (So a conversation that uses
/// thinking together with tools cannot continue through the OpenAI dialect across turns that
/// need the signatures; Anthropic then answers with a 400 that reaches the app.)
public enum AnthropicThinkingOutput: Sendable, Hashable {
    /// Thinking is left out of the answer. The default: what OpenAI clients expect.
    case omitted
    /// Thinking text goes in `message.reasoning_content` (streamed as `delta.reasoning_content`),
    /// the field DeepSeek, vLLM and LiteLLM use, which several OpenAI clients display.
    case reasoningContent
}
