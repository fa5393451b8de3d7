/// Turns an Anthropic Messages stream into an OpenAI `chat.completion.chunk` stream, as the
/// bytes arrive, cut anywhere.
///
/// Duties, in order, for each event:
/// 1. `message_start`: remember `id`, `model` and usage; send the role chunk
///    (`delta: {"role":"assistant","content":""}`);
/// 2. `content_block_start`: a `tool_use` block opens `tool_calls[k]` (`k` counts tool blocks
///    from 0) with its id, name and empty arguments; text or thinking blocks send their initial
///    text, if any;
/// 3. `content_block_delta`: `text_delta` → `content`; `input_json_delta` → the arguments of
///    `tool_calls[k]`, each fragment exactly as received (split keys and strings included; the
///    empty first fragment is not sent); `thinking_delta` → `reasoning_content` when
///    ``AnthropicThinkingOutput/reasoningContent`` is chosen; signatures are dropped;
/// 4. `message_delta`: the stop reason as `finish_reason` in an empty-delta chunk; usage kept
///    (each count is cumulative: the last value wins);
/// 5. `message_stop`: the usage chunk (`choices: []`) when the app asked for
///    `stream_options.include_usage`, then `data: [DONE]`;
/// 6. `error`: the OpenAI in-band error frame (``AnthropicError/openAIStreamErrorEvent()``) and
///    no `[DONE]`;
/// 7. `ping`, `content_block_stop`, unknown event types: nothing. An event whose data is not
///    JSON is skipped and counted in ``malformedEvents`` (for the proxy to log).
///
/// When every chunk carries `"usage":null` (with `include_usage`, as OpenAI does) the proxy's
/// usage sniffer still works on the output; ``usage`` has the counts including cache writes.
///
/// Memory is bounded: one unfinished event (at most ``maxEventBytes`` plus 16 KiB, else the
/// stream fails) and the ids of the open blocks. A value type: copy it to snapshot a stream.
public struct AnthropicStreamTranslator: Sendable {
    /// The largest event held by default while waiting for its end: 1 MiB.
    public static let defaultMaxEventBytes = 1 << 20
    /// Input is parsed in slices of at most this many bytes, which bounds how far the count
    /// of unfinished bytes can overshoot.
    static let sliceBytes = 16 * 1024
    /// The most content blocks remembered as open at once.
    static let maxOpenBlocks = 64

    /// The provider's name in the policy, for error messages.
    public let provider: String
    /// Whether the app asked for a final usage chunk (`stream_options.include_usage`).
    public let includeUsage: Bool
    /// The Unix time every chunk carries as `created`.
    public let created: Int
    /// What becomes of thinking blocks.
    public let thinking: AnthropicThinkingOutput
    /// The largest event (bytes from its first line to its blank line) this translator waits for.
    public let maxEventBytes: Int

    /// Where the stream stands.
    public internal(set) var phase = Phase.streaming
    /// The message id (`msg_…`), once `message_start` has arrived; every chunk's `id`.
    public internal(set) var id: String?
    /// The model that answers, once `message_start` has arrived; every chunk's `model`.
    public internal(set) var model: String?
    /// The OpenAI `finish_reason`, once `message_delta` has arrived.
    public internal(set) var finishReason: String?
    /// Whether a chunk with content (text, reasoning or a tool call) has been produced: before
    /// that, the output is only the role chunk, and the proxy may still retry elsewhere.
    public internal(set) var emittedContent = false
    /// Events skipped because their data was not a JSON object.
    public internal(set) var malformedEvents = 0

    var parser = SSEParser(dispatchesIncompleteEvent: true)
    /// Bytes fed since the last complete event, or an upper bound of it (off by one slice at most).
    var unfinishedBytes = 0
    var counts = AnthropicUsage()
    /// The start of every chunk, up to and including `"delta":`; built at the first chunk.
    var chunkPrefix: [UInt8] = []
    /// Open content blocks by Anthropic index; closed ones are forgotten.
    var openBlocks: [Int: Block] = [:]
    /// Tool-use blocks seen so far: the next one's `tool_calls` index.
    var toolCallCount = 0

    /// What an open content block turns into.
    enum Block: Sendable, Hashable {
        case text
        case thinking
        case toolCall(index: Int)
        case ignored
    }

    /// Creates a translator for one stream from `provider`.
    public init(
        provider: String, includeUsage: Bool, created: Int, thinking: AnthropicThinkingOutput = .omitted,
        maxEventBytes: Int = AnthropicStreamTranslator.defaultMaxEventBytes
    ) {
        self.provider = provider
        self.includeUsage = includeUsage
        self.created = created
        self.thinking = thinking
        self.maxEventBytes = maxEventBytes
    }

    /// The tokens used so far in OpenAI's terms (cache writes included); nil before any count.
    public var usage: Usage? {
        counts.isEmpty ? nil : counts.usage
    }

    /// Whether part of an event is waiting for more bytes.
    public var hasUnfinishedEvent: Bool {
        parser.hasIncompleteEvent
    }

    /// Reads the next bytes of the Anthropic stream and returns the OpenAI SSE frames they
    /// complete (often none). After the stream has finished or failed, input is ignored.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        let handled: Void? = bytes.withContiguousStorageIfAvailable { buffer in
            feed(UnsafeRawBufferPointer(buffer), into: &output)
        }
        if handled == nil {
            Array(bytes).withUnsafeBytes { feed($0, into: &output) }
        }
        return output
    }

    /// Ends the stream when the upstream body is complete. A stream that reached its stop
    /// reason but not `message_stop` is finished cleanly (usage chunk, `[DONE]`); one that
    /// ended earlier fails with an in-band error frame, since its answer is incomplete.
    public mutating func finish() -> [UInt8] {
        var output: [UInt8] = []
        guard case .streaming = phase else { return output }
        for event in parser.finish() { handle(event, into: &output) }
        guard case .streaming = phase else { return output }
        if finishReason != nil {
            finishStream(into: &output)
        } else {
            fail(.sluice(.upstreamStreamTruncated(provider: provider)), into: &output)
        }
        return output
    }

    private mutating func feed(_ buffer: UnsafeRawBufferPointer, into output: inout [UInt8]) {
        var start = 0
        while start < buffer.count, case .streaming = phase {
            let end = min(start + Self.sliceBytes, buffer.count)
            let events = parser.feed(UnsafeRawBufferPointer(rebasing: buffer[start..<end]))
            unfinishedBytes = events.isEmpty ? unfinishedBytes + (end - start) : end - start
            for event in events { handle(event, into: &output) }
            if unfinishedBytes > maxEventBytes + Self.sliceBytes, case .streaming = phase {
                fail(.sluice(.upstreamEventTooLarge(provider: provider, limit: maxEventBytes)), into: &output)
            }
            start = end
        }
    }
}
