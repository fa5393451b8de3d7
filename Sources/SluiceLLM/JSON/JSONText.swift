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
        bytes.reserveCapacity(bytes.count + s.utf8.count + 2)
        bytes.append(UInt8(ascii: "\""))
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "\""): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            case UInt8(ascii: "\\"): bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case 0x0D: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "r")])
            case 0x09: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "t")])
            case 0x08: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "b")])
            case 0x0C: bytes.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "f")])
            case 0x00..<0x20:
                let hex: [UInt8] = Array("0123456789abcdef".utf8)
                bytes.append(contentsOf: [
                    UInt8(ascii: "\\"), UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"),
                    hex[Int(byte >> 4)], hex[Int(byte & 0xF)],
                ])
            default: bytes.append(byte)
            }
        }
        bytes.append(UInt8(ascii: "\""))
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
