/// Frames payloads as server-sent events, the way OpenAI (`data: …\n\n`) and Anthropic
/// (`event: …\ndata: …\n\n`) send them. A payload with line breaks becomes several `data:`
/// lines, which a parser joins back with `\n`.
public enum SSEWriter {
    /// The frame that ends an OpenAI stream: `data: [DONE]\n\n`.
    public static let done: [UInt8] = Array("data: [DONE]\n\n".utf8)

    /// `data: <payload>\n\n`.
    public static func data(_ payload: some Collection<UInt8>) -> [UInt8] {
        var frame: [UInt8] = []
        appendData(payload, to: &frame)
        return frame
    }

    /// `data: <payload>\n\n`.
    public static func data(_ payload: String) -> [UInt8] {
        data(payload.utf8)
    }

    /// `event: <name>\ndata: <payload>\n\n`.
    public static func event(_ name: String, data payload: some Collection<UInt8>) -> [UInt8] {
        var frame: [UInt8] = []
        appendEvent(name, data: payload, to: &frame)
        return frame
    }

    /// A comment line, `: <text>\n\n`: ignored by clients, useful to keep an idle connection open.
    public static func comment(_ text: String) -> [UInt8] {
        Array(": \(text.filter { $0 != "\n" && $0 != "\r" })\n\n".utf8)
    }

    /// Appends `data: <payload>\n\n` to `frame`.
    public static func appendData(_ payload: some Collection<UInt8>, to frame: inout [UInt8]) {
        frame.reserveCapacity(frame.count + payload.count + 8)
        appendDataLines(payload, to: &frame)
        frame.append(0x0A)
    }

    /// Appends `event: <name>\ndata: <payload>\n\n` to `frame`.
    public static func appendEvent(_ name: String, data payload: some Collection<UInt8>, to frame: inout [UInt8]) {
        frame.reserveCapacity(frame.count + name.utf8.count + payload.count + 16)
        frame.append(contentsOf: "event: ".utf8)
        frame.append(contentsOf: name.utf8.lazy.filter { $0 != 0x0A && $0 != 0x0D })
        frame.append(0x0A)
        appendDataLines(payload, to: &frame)
        frame.append(0x0A)
    }

    /// One `data: ` line per line of `payload` (split at CRLF, LF or CR).
    private static func appendDataLines(_ payload: some Collection<UInt8>, to frame: inout [UInt8]) {
        frame.append(contentsOf: "data: ".utf8)
        guard payload.contains(where: { $0 == 0x0A || $0 == 0x0D }) else {
            frame.append(contentsOf: payload)
            frame.append(0x0A)
            return
        }
        var afterCR = false
        for byte in payload {
            if afterCR {
                afterCR = false
                if byte == 0x0A { continue }
            }
            if byte == 0x0A || byte == 0x0D {
                afterCR = byte == 0x0D
                frame.append(contentsOf: "\ndata: ".utf8)
            } else {
                frame.append(byte)
            }
        }
        frame.append(0x0A)
    }
}
