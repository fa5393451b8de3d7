/// What an OpenAI chat stream has told the app so far, kept to continue the answer elsewhere
/// (`resume: true`) when the provider fails mid-stream.
///
/// Only a plain text answer can be continued: a tool call, several choices or a finish reason
/// make the transcript not resumable. Feed it the bytes the app was sent, cut anywhere.
public struct StreamTranscript: Sendable {
    private var parser = SSEParser()
    /// The answer's text so far.
    public private(set) var text = ""
    /// Whether the answer can be continued from ``text``.
    public private(set) var isResumable = true

    public init() {}

    public mutating func feed(_ bytes: some Collection<UInt8>) {
        for event in parser.feed(bytes) { read(Array(event.data.utf8)) }
    }

    /// Reads one event's data: a chat completion chunk, or something else that adds nothing.
    private mutating func read(_ data: [UInt8]) {
        guard data.first == UInt8(ascii: "{"), let chunk = try? JSONNode.parse(data),
            let choices = chunk["choices"]?.array
        else { return }
        if choices.count > 1 { isResumable = false }
        for choice in choices {
            if let reason = choice["finish_reason"], reason != .null { isResumable = false }
            guard let delta = choice["delta"] else { continue }
            for key in ["tool_calls", "function_call"] where delta[key] != nil && delta[key] != .null {
                isResumable = false
            }
            if let content = delta["content"]?.string { text += content }
        }
    }

    /// `body` (an OpenAI chat request) with `prefill` added as a last assistant message: the
    /// request a provider that accepts a prefill continues from. Trailing whitespace is left
    /// out, as Anthropic requires of a final assistant turn.
    public static func continuation(of body: [UInt8], prefill: String) -> [UInt8]? {
        guard case .object(var members) = try? JSONNode.parse(body),
            let index = members.lastIndex(where: { $0.key == "messages" }),
            case .array(var messages) = members[index].value
        else { return nil }
        var trimmed = Substring(prefill)
        while let last = trimmed.last, last.isWhitespace { trimmed = trimmed.dropLast() }
        guard !trimmed.isEmpty else { return nil }
        messages.append(.object([.init("role", .string("assistant")), .init("content", .string(String(trimmed)))]))
        members[index].value = .array(messages)
        var writer = JSONWriter(capacity: body.count + trimmed.utf8.count + 64)
        writer.node(.object(members))
        return writer.bytes
    }
}
