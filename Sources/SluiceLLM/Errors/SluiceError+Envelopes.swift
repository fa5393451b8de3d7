extension SluiceError {
    /// OpenAI's error envelope, keys in OpenAI's order:
    /// `{"error":{"message":…,"type":…,"param":…|null,"code":…}}`.
    public func openAIBody() -> [UInt8] {
        var writer = JSONWriter(capacity: message.utf8.count + 128)
        writeOpenAI(into: &writer)
        return writer.bytes
    }

    /// Anthropic's error envelope: `{"type":"error","error":{"type":…,"message":…}}`.
    public func anthropicBody() -> [UInt8] {
        var writer = JSONWriter(capacity: message.utf8.count + 96)
        writer.beginObject()
        writer.field("type", "error")
        writer.key("error")
        writer.beginObject()
        writer.field("type", code.anthropicType)
        writer.field("message", message)
        writer.endObject()
        writer.endObject()
        return writer.bytes
    }

    /// The OpenAI envelope as one SSE frame, `data: {"error":{…}}\n\n`: what OpenAI sends when a
    /// stream fails after its 200 status has gone out.
    public func openAIStreamErrorEvent() -> [UInt8] {
        SSEWriter.data(openAIBody())
    }

    /// The Anthropic envelope as one SSE frame, `event: error\ndata: {"type":"error",…}\n\n`,
    /// the way Anthropic reports a failure mid-stream.
    public func anthropicStreamErrorEvent() -> [UInt8] {
        SSEWriter.event("error", data: anthropicBody())
    }

    private func writeOpenAI(into writer: inout JSONWriter) {
        writer.beginObject()
        writer.key("error")
        writer.beginObject()
        writer.field("message", message)
        writer.field("type", code.openAIType)
        writer.field("param", param)
        writer.field("code", openAICode)
        writer.endObject()
        writer.endObject()
    }
}
