extension MockProvider {
    /// The replies to a legacy completions request: one choice per prompt.
    private struct CompletionReply {
        var answers: [String]
        var usage: Usage
    }

    /// Answers `POST /v1/completions` with a `text_completion` object; an array of prompts gets
    /// one choice per prompt (`index` = the prompt's position).
    public func completion(_ body: [UInt8], model: String, id: String, created: Int) throws(SluiceError) -> [UInt8] {
        let reply = try completionReply(body)
        var json = JSONWriter(capacity: 512)
        json.beginObject()
        json.field("id", id)
        json.field("object", "text_completion")
        json.field("created", created)
        json.field("model", model)
        json.key("choices")
        json.beginArray()
        for (index, answer) in reply.answers.enumerated() {
            Self.writeCompletionChoice(text: answer, index: index, finish: "stop", into: &json)
        }
        json.endArray()
        json.key("usage")
        Self.writeCompletionUsage(reply.usage, into: &json)
        json.endObject()
        return json.bytes
    }

    /// Answers a streamed legacy completions request with frames shaped like OpenAI's: one chunk
    /// per word (`object: "text_completion"`), a closing chunk per choice with `text: ""` and
    /// `finish_reason: "stop"`, a usage chunk (`usage` then `choices: []`) only when the request set
    /// `stream_options.include_usage`, and `data: [DONE]`.
    public func completionStream(
        _ body: [UInt8], model: String, id: String, created: Int
    ) throws(SluiceError) -> [[UInt8]] {
        let reply = try completionReply(body)
        let includeUsage = try Self.includesUsage(body)
        var frames: [[UInt8]] = []
        func chunk(text: String, index: Int, finish: String?) {
            var json = JSONWriter(capacity: 256)
            json.beginObject()
            json.field("id", id)
            json.field("object", "text_completion")
            json.field("created", created)
            json.key("choices")
            json.beginArray()
            Self.writeCompletionChoice(text: text, index: index, finish: finish, into: &json)
            json.endArray()
            json.field("model", model)
            if includeUsage {
                json.key("usage")
                json.null()
            }
            json.endObject()
            frames.append(SSEWriter.data(json.bytes))
        }
        for (index, answer) in reply.answers.enumerated() {
            for word in Self.words(answer) { chunk(text: word, index: index, finish: nil) }
        }
        for index in reply.answers.indices { chunk(text: "", index: index, finish: "stop") }
        if includeUsage {
            var json = JSONWriter(capacity: 256)
            json.beginObject()
            json.field("id", id)
            json.field("object", "text_completion")
            json.field("created", created)
            json.field("model", model)
            json.key("usage")
            Self.writeCompletionUsage(reply.usage, into: &json)
            json.key("choices")
            json.beginArray()
            json.endArray()
            json.endObject()
            frames.append(SSEWriter.data(json.bytes))
        }
        frames.append(SSEWriter.done)
        return frames
    }

    private func completionReply(_ body: [UInt8]) throws(SluiceError) -> CompletionReply {
        let request = try Self.decode(MockRequest.Completion.self, from: body)
        let questions: [String]
        let promptTokens: Int
        switch request.prompt {
        case .texts(let texts):
            questions = texts
            promptTokens = texts.reduce(0) { $0 + Self.tokenCount($1) }
        case .tokenLists(let lists):
            questions = lists.map { "\($0.count) tokens" }
            promptTokens = lists.reduce(0) { $0 + $1.count }
        }
        let answers = questions.map(Self.answer(to:))
        let completionTokens = answers.reduce(0) { $0 + Self.tokenCount($1) }
        return CompletionReply(
            answers: answers, usage: Usage(promptTokens: max(1, promptTokens), completionTokens: completionTokens))
    }

    private static func writeCompletionChoice(text: String, index: Int, finish: String?, into json: inout JSONWriter) {
        json.beginObject()
        json.field("text", text)
        json.field("index", index)
        json.key("logprobs")
        json.null()
        json.field("finish_reason", finish)
        json.endObject()
    }

    private static func writeCompletionUsage(_ usage: Usage, into json: inout JSONWriter) {
        json.beginObject()
        json.field("prompt_tokens", usage.promptTokens)
        json.field("completion_tokens", usage.completionTokens)
        json.field("total_tokens", usage.totalTokens)
        json.endObject()
    }
}
