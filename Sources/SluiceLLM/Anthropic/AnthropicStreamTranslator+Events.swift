/// One Anthropic event at a time.
extension AnthropicStreamTranslator {
    mutating func handle(_ event: SSEEvent, into output: inout [UInt8]) {
        guard case .streaming = phase else { return }
        guard let payload = try? JSONNode.parse(event.data.utf8), payload.isObject else {
            malformedEvents += 1
            return
        }
        switch payload["type"]?.string ?? event.type {
        case "message_start":
            messageStart(payload["message"], into: &output)
        case "content_block_start":
            blockStart(payload, into: &output)
        case "content_block_delta":
            blockDelta(payload, into: &output)
        case "content_block_stop":
            if let index = payload["index"]?.integer { openBlocks[index] = nil }
        case "message_delta":
            counts.merge(payload["usage"])
            guard finishReason == nil else { return }
            let reason = AnthropicStopReason.finishReason(payload["delta"]?["stop_reason"]?.string)
            finishReason = reason
            write(.finish(reason), into: &output)
        case "message_stop":
            finishStream(into: &output)
        case "error":
            let error =
                AnthropicError(envelope: payload, status: nil)
                ?? AnthropicError(type: "api_error", message: "Anthropic reported an error without details")
            fail(.upstream(error), into: &output)
        default:
            // `ping`, and event types Anthropic may add later.
            break
        }
    }

    private mutating func messageStart(_ message: JSONNode?, into output: inout [UInt8]) {
        counts.merge(message?["usage"])
        guard chunkPrefix.isEmpty else { return }
        id = message?["id"]?.string
        model = message?["model"]?.string
        write(.role, into: &output)
    }

    private mutating func blockStart(_ payload: JSONNode, into output: inout [UInt8]) {
        guard let index = payload["index"]?.integer, let block = payload["content_block"] else {
            malformedEvents += 1
            return
        }
        // Anthropic closes each block before opening the next; a stream that never closes its
        // blocks must not grow this table without bound.
        if openBlocks.count >= Self.maxOpenBlocks { openBlocks.removeAll(keepingCapacity: true) }
        switch block["type"]?.string {
        case "text":
            openBlocks[index] = .text
            if let text = block["text"]?.string, !text.isEmpty { write(.content(text), into: &output) }
        case "thinking":
            openBlocks[index] = .thinking
            if thinking == .reasoningContent, let text = block["thinking"]?.string, !text.isEmpty {
                write(.reasoning(text), into: &output)
            }
        case "tool_use":
            let call = toolCallCount
            toolCallCount += 1
            openBlocks[index] = .toolCall(index: call)
            // Streams start with `"input": {}` and send the input as deltas; a non-empty one is
            // sent whole as the first arguments.
            var arguments = ""
            if let input = block["input"], input != .object([]) { arguments = input.text }
            let start = Delta.toolCallStart(
                index: call, id: block["id"]?.string ?? "", name: block["name"]?.string ?? "", arguments: arguments)
            write(start, into: &output)
        default:
            // redacted_thinking, server tools and their results: nothing an OpenAI client reads.
            openBlocks[index] = .ignored
        }
    }

    private mutating func blockDelta(_ payload: JSONNode, into output: inout [UInt8]) {
        guard let index = payload["index"]?.integer, let delta = payload["delta"] else {
            malformedEvents += 1
            return
        }
        switch (openBlocks[index], delta["type"]?.string) {
        case (.text, "text_delta"):
            if let text = delta["text"]?.string, !text.isEmpty { write(.content(text), into: &output) }
        case (.thinking, "thinking_delta"):
            if thinking == .reasoningContent, let text = delta["thinking"]?.string, !text.isEmpty {
                write(.reasoning(text), into: &output)
            }
        case (.toolCall(let call), "input_json_delta"):
            if let fragment = delta["partial_json"]?.string, !fragment.isEmpty {
                write(.toolCallArguments(index: call, fragment), into: &output)
            }
        case (nil, _):
            // A delta for a block that never started.
            malformedEvents += 1
        default:
            // signature_delta, citations_delta, deltas of ignored blocks.
            break
        }
    }

    /// Ends the answer: the finish chunk if `message_delta` never came, the usage chunk if
    /// asked for, and `[DONE]`.
    mutating func finishStream(into output: inout [UInt8]) {
        if finishReason == nil {
            finishReason = "stop"
            write(.finish("stop"), into: &output)
        }
        if includeUsage { writeUsageChunk(into: &output) }
        output.append(contentsOf: SSEWriter.done)
        phase = .finished
    }

    /// Ends the stream with `failure`'s in-band error frame.
    mutating func fail(_ failure: Failure, into output: inout [UInt8]) {
        output.append(contentsOf: failure.openAIStreamErrorEvent())
        phase = .failed(failure)
    }
}
