/// Rewrites an Anthropic Messages answer (`"type": "message"`) as an OpenAI `chat.completion`.
/// Pure: bytes in, bytes out.
///
/// - `text` blocks are joined into `message.content` (`null` when there is no text and there
///   are tool calls, as OpenAI does);
/// - `tool_use` blocks become `message.tool_calls` in their order, `input` as a compact JSON
///   `arguments` string, the `toolu_…` id kept;
/// - `thinking` goes where ``AnthropicThinkingOutput`` says; `redacted_thinking` and server-tool
///   blocks are dropped;
/// - `stop_reason` becomes `finish_reason` (`end_turn`/`stop_sequence` → `stop`, `max_tokens`
///   → `length`, `tool_use` → `tool_calls`, `refusal` → `content_filter`);
/// - `usage`: `prompt_tokens` = input + cache reads + cache writes, `completion_tokens` =
///   output, `prompt_tokens_details.cached_tokens` = cache reads;
/// - `id` and `model` are Anthropic's (`msg_…`, the dated model name); `created`, which
///   Anthropic does not send, is the caller's clock.
///
/// Keys are written in OpenAI's order: `id, object, created, model, choices, usage`.
public struct AnthropicResponseTranslator: Sendable {
    /// The provider's name in the policy, for error messages.
    public var provider: String
    /// What becomes of thinking blocks.
    public var thinking: AnthropicThinkingOutput

    /// Creates a translator for answers of `provider`.
    public init(provider: String, thinking: AnthropicThinkingOutput = .omitted) {
        self.provider = provider
        self.thinking = thinking
    }

    /// Translates `body`, a successful (2xx) Messages answer. `created` is the Unix time to
    /// stamp the answer with. Throws `upstreamProtocol` when the body is not a message.
    public func chatCompletion(_ body: [UInt8], created: Int) throws(SluiceError) -> TranslatedCompletion {
        let message: JSONNode
        do {
            message = try JSONNode.parse(body)
        } catch {
            throw .upstreamProtocol(provider: provider, detail: "the answer is not JSON: \(error)", cause: error)
        }
        guard message["type"]?.string == "message", let blocks = message["content"]?.array else {
            throw .upstreamProtocol(provider: provider, detail: "the answer is not an Anthropic message")
        }
        var text = ""
        var reasoning = ""
        var toolCalls: [(id: String, name: String, arguments: String)] = []
        for block in blocks {
            switch block["type"]?.string {
            case "text":
                text += block["text"]?.string ?? ""
            case "thinking":
                reasoning += block["thinking"]?.string ?? ""
            case "tool_use":
                let arguments = block["input"].map { $0.text } ?? "{}"
                toolCalls.append((block["id"]?.string ?? "", block["name"]?.string ?? "", arguments))
            default:
                break
            }
        }
        var usage = AnthropicUsage()
        usage.merge(message["usage"])
        let id = message["id"]?.string ?? ""
        let model = message["model"]?.string ?? ""
        let finishReason = AnthropicStopReason.finishReason(message["stop_reason"]?.string)

        var json = JSONWriter(capacity: body.count + 256)
        json.beginObject()
        json.field("id", id)
        json.field("object", "chat.completion")
        json.field("created", created)
        json.field("model", model)
        json.key("choices")
        json.beginArray()
        json.beginObject()
        json.field("index", 0)
        json.key("message")
        json.beginObject()
        json.field("role", "assistant")
        json.field("content", text.isEmpty && !toolCalls.isEmpty ? nil : text)
        if thinking == .reasoningContent, !reasoning.isEmpty { json.field("reasoning_content", reasoning) }
        if !toolCalls.isEmpty {
            json.key("tool_calls")
            json.beginArray()
            for call in toolCalls {
                json.beginObject()
                json.field("id", call.id)
                json.field("type", "function")
                json.key("function")
                json.beginObject()
                json.field("name", call.name)
                json.field("arguments", call.arguments)
                json.endObject()
                json.endObject()
            }
            json.endArray()
        }
        json.field("refusal", nil)
        json.endObject()
        json.key("logprobs")
        json.null()
        json.field("finish_reason", finishReason)
        json.endObject()
        json.endArray()
        json.key("usage")
        json.openAIUsage(usage.usage)
        json.endObject()
        return TranslatedCompletion(
            body: json.bytes, id: id, model: model, finishReason: finishReason, usage: usage.usage)
    }
}
