extension MockProvider {
    /// The reply to a chat request, worked out once for both the plain and the streamed form.
    private struct ChatReply {
        var answer: String
        var usage: Usage
    }

    /// Answers `POST /v1/chat/completions` with an OpenAI `chat.completion` object, in OpenAI's key
    /// order (`id, object, created, model, choices, usage, service_tier, system_fingerprint`).
    public func chatCompletion(
        _ body: [UInt8], model: String, id: String, created: Int
    ) throws(SluiceError) -> [UInt8] {
        let reply = try chatReply(body)
        var json = JSONWriter(capacity: reply.answer.utf8.count + 640)
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
        json.field("content", reply.answer)
        json.field("refusal", nil)
        json.key("annotations")
        json.beginArray()
        json.endArray()
        json.endObject()
        json.key("logprobs")
        json.null()
        json.field("finish_reason", "stop")
        json.endObject()
        json.endArray()
        json.key("usage")
        Self.writeChatUsage(reply.usage, into: &json)
        json.field("service_tier", "default")
        json.field("system_fingerprint", nil)
        json.endObject()
        return json.bytes
    }

    /// Answers a streamed chat request: the same answer as ``chatCompletion(_:model:id:created:)``
    /// as SSE frames shaped like OpenAI's: a role chunk, one content chunk per word, a finish chunk
    /// (`finish_reason: "stop"`), a usage chunk (`choices: []`) only when the request set
    /// `stream_options.include_usage` (every chunk then carries `"usage":null`), and `data: [DONE]`.
    public func chatCompletionStream(
        _ body: [UInt8], model: String, id: String, created: Int
    ) throws(SluiceError) -> [[UInt8]] {
        let reply = try chatReply(body)
        let includeUsage = try Self.includesUsage(body)
        var frames: [[UInt8]] = []
        for delta in [ChatDelta.role] + Self.words(reply.answer).map(ChatDelta.content) + [.finish] {
            frames.append(
                Self.chatChunk(id: id, created: created, model: model, includeUsage: includeUsage) { json in
                    json.beginObject()
                    json.field("index", 0)
                    json.key("delta")
                    json.beginObject()
                    switch delta {
                    case .role:
                        json.field("role", "assistant")
                        json.field("content", "")
                        json.field("refusal", nil)
                    case .content(let text):
                        json.field("content", text)
                    case .finish:
                        break
                    }
                    json.endObject()
                    json.key("logprobs")
                    json.null()
                    json.field("finish_reason", delta == .finish ? "stop" : nil)
                    json.endObject()
                })
        }
        if includeUsage {
            frames.append(
                Self.chatChunk(id: id, created: created, model: model, includeUsage: true, usage: reply.usage) { _ in })
        }
        frames.append(SSEWriter.done)
        return frames
    }

    /// What one streamed chunk's single choice carries.
    private enum ChatDelta: Equatable {
        case role
        case content(String)
        case finish
    }

    /// One `chat.completion.chunk` frame; `choices` writes the choice objects (none for the usage chunk).
    private static func chatChunk(
        id: String, created: Int, model: String, includeUsage: Bool, usage: Usage? = nil,
        choices: (inout JSONWriter) -> Void
    ) -> [UInt8] {
        var json = JSONWriter(capacity: 320)
        json.beginObject()
        json.field("id", id)
        json.field("object", "chat.completion.chunk")
        json.field("created", created)
        json.field("model", model)
        json.field("service_tier", "default")
        json.field("system_fingerprint", nil)
        json.key("choices")
        json.beginArray()
        choices(&json)
        json.endArray()
        if includeUsage {
            json.key("usage")
            if let usage { writeChatUsage(usage, into: &json) } else { json.null() }
        }
        json.endObject()
        return SSEWriter.data(json.bytes)
    }

    private func chatReply(_ body: [UInt8]) throws(SluiceError) -> ChatReply {
        let request = try Self.decode(MockRequest.Chat.self, from: body)
        guard !request.messages.isEmpty else {
            throw .invalidField("messages", "it must contain at least one message")
        }
        let texts = request.messages.map { $0.content?.text ?? "" }
        let question = request.messages.lastIndex { $0.role == "user" }.map { texts[$0] } ?? texts[texts.count - 1]
        let answer = Self.answer(to: question)
        let prompt = max(1, texts.reduce(0) { $0 + Self.tokenCount($1) })
        return ChatReply(answer: answer, usage: Usage(promptTokens: prompt, completionTokens: Self.tokenCount(answer)))
    }

    /// OpenAI's chat `usage` object with its detail blocks, every detail zero.
    private static func writeChatUsage(_ usage: Usage, into json: inout JSONWriter) {
        json.beginObject()
        json.field("prompt_tokens", usage.promptTokens)
        json.field("completion_tokens", usage.completionTokens)
        json.field("total_tokens", usage.totalTokens)
        json.key("prompt_tokens_details")
        json.beginObject()
        json.field("cached_tokens", 0)
        json.field("audio_tokens", 0)
        json.endObject()
        json.key("completion_tokens_details")
        json.beginObject()
        json.field("reasoning_tokens", 0)
        json.field("audio_tokens", 0)
        json.field("accepted_prediction_tokens", 0)
        json.field("rejected_prediction_tokens", 0)
        json.endObject()
        json.endObject()
    }
}
