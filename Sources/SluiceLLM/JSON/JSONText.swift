/// Small pieces of JSON text: string literals and in-place value replacement.
public enum JSONText {
    /// `s` as a JSON string literal, quotes included: `"`, `\` and control characters are
    /// escaped (`\n`, `\t`, ..., `\u001f`); everything else, non-ASCII included, is kept as UTF-8.
    public static func quoted(_ s: String) -> String {
        var bytes: [UInt8] = []
        appendQuoted(s, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `s` as a JSON string literal to `bytes`.
    public static func appendQuoted(_ s: String, to bytes: inout [UInt8]) {
        var s = s
        s.withUTF8 { appendQuoted(utf8: $0, to: &bytes) }
    }

    /// Appends UTF-8 text as a JSON string literal. Runs of bytes that need no escape (nearly all
    /// of them) are copied whole; this is on the access log's path, once per field per request.
    public static func appendQuoted(utf8 text: UnsafeBufferPointer<UInt8>, to bytes: inout [UInt8]) {
        bytes.reserveCapacity(bytes.count + text.count + 2)
        bytes.append(UInt8(ascii: "\""))
        var runStart = 0
        for index in 0..<text.count {
            let byte = text[index]
            guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart..<index]))
            runStart = index + 1
            bytes.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
            case 0x0A: bytes.append(UInt8(ascii: "n"))
            case 0x0D: bytes.append(UInt8(ascii: "r"))
            case 0x09: bytes.append(UInt8(ascii: "t"))
            case 0x08: bytes.append(UInt8(ascii: "b"))
            case 0x0C: bytes.append(UInt8(ascii: "f"))
            default:
                bytes.append(UInt8(ascii: "u"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(UInt8(ascii: "0"))
                bytes.append(Self.hexDigit(byte >> 4))
                bytes.append(Self.hexDigit(byte & 0xF))
            }
        }
        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: text[runStart...]))
        bytes.append(UInt8(ascii: "\""))
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }

    /// `bytes` with the bytes in `range` replaced by `json` (JSON text, e.g. `quoted("gpt-4o")`);
    /// every other byte is kept as it was. Use a ``ScannedField/valueRange`` as `range`.
    public static func replacing(_ bytes: [UInt8], range: Range<Int>, with json: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count - range.count + json.utf8.count)
        out.append(contentsOf: bytes[..<range.lowerBound])
        out.append(contentsOf: json.utf8)
        out.append(contentsOf: bytes[range.upperBound...])
        return out
    }
}
