/// Writing OpenAI `chat.completion.chunk` frames, keys in OpenAI's order:
/// `id, object, created, model, choices[index, delta, logprobs, finish_reason], usage`.
extension AnthropicStreamTranslator {
    /// What one chunk's single choice carries.
    enum Delta {
        case role
        case content(String)
        case reasoning(String)
        case toolCallStart(index: Int, id: String, name: String, arguments: String)
        case toolCallArguments(index: Int, String)
        case finish(String)
    }

    /// Appends one chunk frame with `delta` to `output`. The first chunk is the role chunk,
    /// whatever event brings it about.
    mutating func write(_ delta: Delta, into output: inout [UInt8]) {
        if chunkPrefix.isEmpty {
            chunkPrefix = prefix(choices: true)
            if case .role = delta {} else { write(.role, into: &output) }
        }
        switch delta {
        case .content, .reasoning, .toolCallStart, .toolCallArguments: emittedContent = true
        case .role, .finish: break
        }
        var json = JSONWriter(capacity: 96)
        json.beginObject()
        var finishReason: String?
        switch delta {
        case .role:
            json.field("role", "assistant")
            json.field("content", "")
        case .content(let text):
            json.field("content", text)
        case .reasoning(let text):
            json.field("reasoning_content", text)
        case .toolCallStart(let index, let id, let name, let arguments):
            writeToolCall(into: &json, index: index, id: id, name: name, arguments: arguments)
        case .toolCallArguments(let index, let fragment):
            writeToolCall(into: &json, index: index, id: nil, name: nil, arguments: fragment)
        case .finish(let reason):
            finishReason = reason
        }
        json.endObject()

        var chunk = chunkPrefix
        chunk.reserveCapacity(chunk.count + json.bytes.count + 64)
        chunk.append(contentsOf: json.bytes)
        chunk.append(contentsOf: #","logprobs":null,"finish_reason":"#.utf8)
        if let finishReason { JSONText.appendQuoted(finishReason, to: &chunk) } else { chunk += "null".utf8 }
        chunk.append(contentsOf: "}]".utf8)
        if includeUsage { chunk.append(contentsOf: #","usage":null"#.utf8) }
        chunk.append(UInt8(ascii: "}"))
        SSEWriter.appendData(chunk, to: &output)
    }

    /// Appends the usage chunk: no choices, and the usage counted so far.
    mutating func writeUsageChunk(into output: inout [UInt8]) {
        var chunk = prefix(choices: false)
        var json = JSONWriter(capacity: 160)
        json.openAIUsage(counts.usage)
        chunk.append(contentsOf: json.bytes)
        chunk.append(UInt8(ascii: "}"))
        SSEWriter.appendData(chunk, to: &output)
    }

    /// `{"id":…,"object":"chat.completion.chunk","created":…,"model":…,"choices":` followed by
    /// `[{"index":0,"delta":` for a content chunk, or by `[],"usage":` for the usage chunk.
    private func prefix(choices: Bool) -> [UInt8] {
        var json = JSONWriter(capacity: 160)
        json.beginObject()
        json.field("id", id ?? "")
        json.field("object", "chat.completion.chunk")
        json.field("created", created)
        json.field("model", model ?? "")
        json.key("choices")
        var bytes = json.bytes
        bytes.append(contentsOf: (choices ? #"[{"index":0,"delta":"# : #"[],"usage":"#).utf8)
        return bytes
    }

    /// `"tool_calls":[{"index":…,"id":…,"type":"function","function":{"name":…,"arguments":…}}]`,
    /// leaving out `id`, `type` and `name` after the first chunk of a call, as OpenAI does.
    private func writeToolCall(into json: inout JSONWriter, index: Int, id: String?, name: String?, arguments: String) {
        json.key("tool_calls")
        json.beginArray()
        json.beginObject()
        json.field("index", index)
        if let id {
            json.field("id", id)
            json.field("type", "function")
        }
        json.key("function")
        json.beginObject()
        if let name { json.field("name", name) }
        json.field("arguments", arguments)
        json.endObject()
        json.endObject()
        json.endArray()
    }
}
