import SluiceLLM

/// Restores (and, with `output: true`, redacts) an OpenAI-dialect streamed answer as its bytes
/// arrive: `text/event-stream` of chat chunks (`choices[].delta.content`,
/// `choices[].delta.tool_calls[].function.arguments`) or completion chunks (`choices[].text`).
///
/// Its duties, in order, for each piece of the byte stream:
/// 1. parse SSE events, whatever way the bytes are cut (``SSEParser``);
/// 2. for each chunk, run each channel's text (per choice, per tool call) through its own
///    ``StreamRestorer``, so a placeholder split over any number of chunks is restored;
/// 3. write each chunk back with only those strings changed; a chunk whose text is all held
///    back keeps an empty string, so the chunk sequence is the provider's;
/// 4. when a choice finishes (`finish_reason`), at `[DONE]` and at ``finish()``, deliver what
///    is still held: inside the finishing chunk when it carries that channel's text, else as an
///    extra chunk just before it, built from the stream's own `id`, `object`, `created`, `model`.
///
/// Events that are not JSON chunks (errors, `[DONE]`, other dialects) pass through.
public struct ChatStreamRestorer: Sendable {
    private var parser = SSEParser(dispatchesIncompleteEvent: true)
    private let masks: MaskTable
    private let output: RedactionScanner?
    private var channels: [StreamChannel.Key: StreamChannel] = [:]
    private var order: [StreamChannel.Key] = []
    private var envelope: [UInt8] = []
    /// What output redaction found so far (`output: true`).
    public private(set) var outputCounts = FindingCounts()

    /// A restorer for the placeholders of `masks`; pass `output` (the workload's scanner) to
    /// redact the answer's own findings too.
    public init(masks: MaskTable, output: RedactionScanner? = nil) {
        self.masks = masks
        self.output = output
    }

    /// Processes the next bytes of the stream; returns the bytes to send to the app now.
    public mutating func feed(_ bytes: some Collection<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        for event in parser.feed(bytes) { process(event, into: &out) }
        return out
    }

    /// Ends the stream: any event cut short and every held text.
    public mutating func finish() -> [UInt8] {
        var out: [UInt8] = []
        for event in parser.finish() { process(event, into: &out) }
        flushAll(into: &out)
        return out
    }

    private mutating func process(_ event: SSEEvent, into out: inout [UInt8]) {
        let data = Array(event.data.utf8)
        if event.data == "[DONE]" { flushAll(into: &out) }
        // Most chunks need nothing: no text is held, output redaction is off, and no `[` in the
        // chunk could open a placeholder (`[A`…) or end a string with a partial one (`["`, `[\`).
        if output == nil, !channels.values.contains(where: \.isHolding), !Self.mayHoldPlaceholder(data) {
            write(event, data: data, into: &out)
            return
        }
        guard event.data != "[DONE]", let node = JSONNode.parse(data), let choices = node["choices"] else {
            write(event, data: data, into: &out)
            return
        }
        captureEnvelope(node, data)
        var edits: [(range: Range<Int>, text: [UInt8], key: StreamChannel.Key)] = []
        var extra: [UInt8] = []
        for choice in choices.elements {
            let index = choice["index"]?.integer ?? 0
            if let delta = choice["delta"] {
                if let content = delta["content"], let text = content.text {
                    let key = StreamChannel.Key(choice: index, kind: .content)
                    edits.append((content.range, feed(key, text), key))
                }
                for call in delta["tool_calls"]?.elements ?? [] {
                    guard let arguments = call["function"]?["arguments"], let text = arguments.text else { continue }
                    let key = StreamChannel.Key(choice: index, kind: .arguments(tool: call["index"]?.integer ?? 0))
                    edits.append((arguments.range, feed(key, text), key))
                }
            }
            if let completion = choice["text"], let text = completion.text {
                let key = StreamChannel.Key(choice: index, kind: .completionText)
                edits.append((completion.range, feed(key, text), key))
            }
            if let reason = choice["finish_reason"], !reason.isNull {
                for key in order where key.choice == index {
                    let held = finishChannel(key)
                    guard !held.isEmpty else { continue }
                    if let at = edits.firstIndex(where: { $0.key == key }) {
                        edits[at].text += held
                    } else {
                        extra += syntheticEvent(key, held)
                    }
                }
            }
        }
        out += extra
        guard !edits.isEmpty else {
            write(event, data: data, into: &out)
            return
        }
        var rewritten: [UInt8] = []
        rewritten.reserveCapacity(data.count + 64)
        var copied = 0
        for edit in edits.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            rewritten += data[copied..<edit.range.lowerBound]
            rewritten += JSONStringCodec.quoted(edit.text)
            copied = edit.range.upperBound
        }
        rewritten += data[copied...]
        write(event, data: rewritten, into: &out)
    }

    /// Whether `data` has a `[` followed by a capital letter, a quote or a backslash.
    private static func mayHoldPlaceholder(_ data: [UInt8]) -> Bool {
        var index = 0
        while index + 1 < data.count {
            if data[index] == 0x5B {
                let next = data[index + 1]
                if ASCII.isUpper(next) || next == 0x22 || next == 0x5C { return true }
            }
            index += 1
        }
        return false
    }

    private mutating func feed(_ key: StreamChannel.Key, _ text: [UInt8]) -> [UInt8] {
        if channels[key] == nil {
            channels[key] = StreamChannel(kind: key.kind, masks: masks, output: output, outputMasks: masks)
            order.append(key)
        }
        return channels[key]!.feed(text)
    }

    private mutating func finishChannel(_ key: StreamChannel.Key) -> [UInt8] {
        guard var channel = channels[key] else { return [] }
        let held = channel.finish()
        outputCounts.add(channel.counts)
        channels[key] = nil
        order.removeAll { $0 == key }
        return held
    }

    private mutating func flushAll(into out: inout [UInt8]) {
        for key in order {
            let held = finishChannel(key)
            if !held.isEmpty { out += syntheticEvent(key, held) }
        }
    }

    /// Frames an event as `event:` (when named) and `data:` lines. Written here rather than with
    /// `SSEWriter`, whose generic methods run unspecialised from another module (a per-byte
    /// witness call: most of the cost of a chunk).
    private func write(_ event: SSEEvent, data: [UInt8], into out: inout [UInt8]) {
        out.reserveCapacity(out.count + data.count + 16)
        if let name = event.event {
            out += Self.eventPrefix
            out += name.utf8.filter { $0 != 0x0A && $0 != 0x0D }
            out.append(0x0A)
        }
        var lineStart = 0
        for index in data.indices where data[index] == 0x0A {
            out += Self.dataPrefix
            out += data[lineStart..<index]
            out.append(0x0A)
            lineStart = index + 1
        }
        out += Self.dataPrefix
        out += data[lineStart...]
        out += [0x0A, 0x0A]
    }

    private static let eventPrefix: [UInt8] = Array("event: ".utf8)
    private static let dataPrefix: [UInt8] = Array("data: ".utf8)

    /// Keeps `"id":…,"object":…,"created":…,"model":…,` of the latest chunk for extra chunks.
    private mutating func captureEnvelope(_ node: JSONNode, _ data: [UInt8]) {
        var captured: [UInt8] = []
        for key in ["id", "object", "created", "model"] {
            guard let value = node[key] else { continue }
            captured += JSONStringCodec.quoted(Array(key.utf8))
            captured.append(ASCII.colon)
            captured += data[value.range]
            captured.append(0x2C)
        }
        envelope = captured
    }

    /// A chunk carrying `text` for channel `key` alone.
    private func syntheticEvent(_ key: StreamChannel.Key, _ text: [UInt8]) -> [UInt8] {
        let quoted = String(decoding: JSONStringCodec.quoted(text), as: UTF8.self)
        let choice: String
        switch key.kind {
        case .content:
            choice = "{\"index\":\(key.choice),\"delta\":{\"content\":\(quoted)},\"finish_reason\":null}"
        case .completionText:
            choice = "{\"index\":\(key.choice),\"text\":\(quoted),\"finish_reason\":null}"
        case .arguments(let tool):
            choice =
                "{\"index\":\(key.choice),\"delta\":{\"tool_calls\":[{\"index\":\(tool),"
                + "\"function\":{\"arguments\":\(quoted)}}]},\"finish_reason\":null}"
        }
        var data: [UInt8] = [0x7B]
        data += envelope
        data += Array("\"choices\":[\(choice)]}".utf8)
        var frame: [UInt8] = []
        write(SSEEvent(data: ""), data: data, into: &frame)
        return frame
    }
}
