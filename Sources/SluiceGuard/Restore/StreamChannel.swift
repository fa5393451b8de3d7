/// One stream of text inside a streamed answer: a choice's `delta.content` (or `text` for
/// completions), or one tool call's `function.arguments`. Each has its own restorer, since a
/// placeholder can only be split within one channel.
struct StreamChannel {
    /// Which part of the chunk the channel's text is in.
    enum Kind: Hashable {
        case content
        case completionText
        case arguments(tool: Int)
    }

    /// A channel's identity: its choice and kind.
    struct Key: Hashable {
        var choice: Int
        var kind: Kind
    }

    private var redactor: StreamOutputRedactor?
    private var restorer: StreamRestorer

    init(kind: Kind, masks: MaskTable, output: RedactionScanner?, outputMasks: MaskTable) {
        let isJSON: Bool
        if case .arguments = kind { isJSON = true } else { isJSON = false }
        restorer = StreamRestorer(masks: masks, escapesForJSON: isJSON)
        redactor = output.map { StreamOutputRedactor(scanner: $0, masks: outputMasks) }
    }

    /// Whether any text is held back.
    var isHolding: Bool { restorer.heldBytes > 0 || (redactor?.heldBytes ?? 0) > 0 }

    /// What the answer has found so far in this channel (`output: true`).
    var counts: FindingCounts { redactor?.counts ?? FindingCounts() }

    /// Passes a piece of the channel's text through output redaction (if on) and restore.
    mutating func feed(_ text: [UInt8]) -> [UInt8] {
        var redacted = text
        if var active = redactor {
            redacted = active.feed(text)
            redactor = active
        }
        return restorer.feed(bytes: redacted)
    }

    /// Ends the channel: everything still held.
    mutating func finish() -> [UInt8] {
        var tail: [UInt8] = []
        if var active = redactor {
            tail = active.finish()
            redactor = active
        }
        var output = restorer.feed(bytes: tail)
        output += restorer.finishBytes()
        return output
    }
}
