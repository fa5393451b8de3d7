/// Anthropic's `stop_reason` in OpenAI's terms.
enum AnthropicStopReason {
    /// The OpenAI `finish_reason` for an Anthropic `stop_reason`:
    ///
    /// | Anthropic | OpenAI |
    /// | --- | --- |
    /// | `end_turn`, `stop_sequence`, `pause_turn`, none or unknown | `stop` |
    /// | `max_tokens`, `model_context_window_exceeded` | `length` |
    /// | `tool_use` | `tool_calls` |
    /// | `refusal` | `content_filter` |
    static func finishReason(_ stopReason: String?) -> String {
        switch stopReason {
        case "max_tokens", "model_context_window_exceeded": "length"
        case "tool_use": "tool_calls"
        case "refusal": "content_filter"
        default: "stop"
        }
    }
}
