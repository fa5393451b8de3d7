import SluiceLLM

/// Decoding JSON string literals to their text and encoding text back.
enum JSONStringCodec {
    /// The text of the string literal whose content (between the quotes) is `raw`, or nil when an
    /// escape is malformed. Unpaired surrogates decode to U+FFFD.
    static func decode(_ raw: UnsafeRawBufferPointer) -> [UInt8]? {
        var output: [UInt8] = []
        output.reserveCapacity(raw.count)
        var index = 0
        let count = raw.count
        while index < count {
            let byte = raw[index]
            guard byte == 0x5C else {
                output.append(byte)
                index += 1
                continue
            }
            guard index + 1 < count else { return nil }
            let escaped = raw[index + 1]
            index += 2
            switch escaped {
            case 0x62: output.append(0x08)  // b
            case 0x66: output.append(0x0C)  // f
            case 0x6E: output.append(0x0A)  // n
            case 0x72: output.append(0x0D)  // r
            case 0x74: output.append(0x09)  // t
            case 0x22, 0x5C, 0x2F: output.append(escaped)
            case 0x75:  // u
                guard var scalar = quad(raw, at: index) else { return nil }
                index += 4
                if (0xD800...0xDBFF).contains(scalar), index + 5 < count, raw[index] == 0x5C, raw[index + 1] == 0x75,
                    let low = quad(raw, at: index + 2), (0xDC00...0xDFFF).contains(low)
                {
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                UTF8.encode(Unicode.Scalar(scalar) ?? "\u{FFFD}") { output.append($0) }
            default:
                return nil
            }
        }
        return output
    }

    private static func quad(_ raw: UnsafeRawBufferPointer, at index: Int) -> UInt32? {
        guard index + 4 <= raw.count else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = raw[index + offset]
            guard ASCII.isHex(byte) else { return nil }
            value = value << 4 | UInt32(ASCII.hexValue(byte))
        }
        return value
    }

    /// `text` (UTF-8) as a JSON string literal, quotes included.
    static func quoted(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        guard text.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
            // Nothing to escape (the usual case: masked text from a plain string): copy it whole.
            output.reserveCapacity(text.count + 2)
            output.append(0x22)
            output.append(contentsOf: text)
            output.append(0x22)
            return output
        }
        JSONText.appendQuoted(String(decoding: text, as: UTF8.self), to: &output)
        return output
    }
}
