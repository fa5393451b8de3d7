extension JSONSyntaxScanner {
    /// Walks a string starting at its opening quote: escapes (with `\u` surrogate pairs), no raw
    /// control characters, well-formed UTF-8. Returns whether it contains any escape.
    mutating func scanString() throws(BodyScanError) -> Bool {
        let start = index
        index += 1
        var hasEscapes = false
        while true {
            // Most bytes of a request or a stream chunk are plain text inside strings: skip them eight at a
            // time, and then straight to the first byte the walk below must look at (a chunk's strings are
            // mostly shorter than a word).
            while index + 8 <= end {
                let stops = ByteSearch.stringTextStops(
                    UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                if stops != 0 {
                    index += stops.trailingZeroBitCount >> 3
                    break
                }
                index += 8
            }
            guard index < end else { throw failure(start, "unterminated string") }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                return hasEscapes
            }
            if byte == UInt8(ascii: "\\") {
                hasEscapes = true
                try scanEscape(stringStart: start)
            } else if byte < 0x20 {
                throw failure(index, "unescaped control character in string")
            } else if byte < 0x80 {
                index += 1
            } else {
                try scanUTF8Sequence()
            }
        }
    }

    /// Walks one escape sequence starting at its backslash.
    mutating func scanEscape(stringStart: Int) throws(BodyScanError) {
        let escape = index
        guard index + 1 < end else { throw failure(stringStart, "unterminated string") }
        switch bytes[index + 1] {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"),
            UInt8(ascii: "f"), UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
            index += 2
        case UInt8(ascii: "u"):
            let unit = try hexQuad(at: index + 2, escape: escape, stringStart: stringStart)
            index += 6
            switch unit {
            case 0xD800...0xDBFF:
                guard index + 1 < end else { throw failure(stringStart, "unterminated string") }
                guard bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                    throw failure(escape, "unpaired UTF-16 surrogate in \\u escape")
                }
                let low = try hexQuad(at: index + 2, escape: index, stringStart: stringStart)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw failure(escape, "unpaired UTF-16 surrogate in \\u escape")
                }
                index += 6
            case 0xDC00...0xDFFF:
                throw failure(escape, "unpaired UTF-16 surrogate in \\u escape")
            default:
                break
            }
        default:
            throw failure(escape, "invalid escape sequence in string")
        }
    }

    /// Reads the four hex digits of a `\u` escape.
    func hexQuad(at position: Int, escape: Int, stringStart: Int) throws(BodyScanError) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 {
            guard position + offset < end else { throw failure(stringStart, "unterminated string") }
            guard let digit = Self.hexValue(bytes[position + offset]) else {
                throw failure(escape, "expected four hex digits after \\u")
            }
            value = value << 4 | digit
        }
        return value
    }

    static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Walks one multi-byte UTF-8 sequence (Unicode 15, table 3-7: no overlongs, no surrogates,
    /// nothing above U+10FFFF).
    mutating func scanUTF8Sequence() throws(BodyScanError) {
        let lead = bytes[index]
        var continuation: Int
        var secondLow: UInt8 = 0x80
        var secondHigh: UInt8 = 0xBF
        switch lead {
        case 0xC2...0xDF: continuation = 1
        case 0xE0:
            continuation = 2
            secondLow = 0xA0
        case 0xE1...0xEC, 0xEE...0xEF: continuation = 2
        case 0xED:
            continuation = 2
            secondHigh = 0x9F
        case 0xF0:
            continuation = 3
            secondLow = 0x90
        case 0xF1...0xF3: continuation = 3
        case 0xF4:
            continuation = 3
            secondHigh = 0x8F
        default: throw failure(index, "invalid UTF-8 in string")
        }
        guard index + continuation < end else { throw failure(index, "invalid UTF-8 in string") }
        let second = bytes[index + 1]
        guard second >= secondLow, second <= secondHigh else { throw failure(index, "invalid UTF-8 in string") }
        var offset = 2
        while offset <= continuation {
            guard bytes[index + offset] & 0xC0 == 0x80 else { throw failure(index, "invalid UTF-8 in string") }
            offset += 1
        }
        index += continuation + 1
    }

    /// The text of a string the scanner has already validated; `range` excludes the quotes.
    static func unescapedString(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, hasEscapes: Bool) -> String {
        guard hasEscapes else {
            return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
        }
        var out: [UInt8] = []
        out.reserveCapacity(range.count)
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                index += 1
                continue
            }
            let escaped = bytes[index + 1]
            index += 2
            switch escaped {
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = quad(bytes, at: index)
                index += 4
                if (0xD800...0xDBFF).contains(scalar) {
                    let low = quad(bytes, at: index + 2)
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    index += 6
                }
                // Validation guarantees a scalar value here; U+FFFD keeps this total anyway.
                let unicode = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                UTF8.encode(unicode) { out.append($0) }
            default: out.append(escaped)  // \" \\ \/
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func quad(_ bytes: UnsafeRawBufferPointer, at position: Int) -> UInt32 {
        var value: UInt32 = 0
        for offset in 0..<4 { value = value << 4 | (hexValue(bytes[position + offset]) ?? 0) }
        return value
    }
}
