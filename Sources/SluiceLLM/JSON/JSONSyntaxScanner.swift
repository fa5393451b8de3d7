/// A validating, non-allocating walk over JSON bytes (RFC 8259).
///
/// It checks syntax and moves `index` past each value; it builds nothing. ``BodyScan`` drives it and
/// records only the fields it was asked for. Strings live in `JSONSyntaxScanner+String.swift`,
/// field capture in `JSONSyntaxScanner+Capture.swift`.
struct JSONSyntaxScanner {
    /// What the scanner learned about a value it walked over.
    struct ValueInfo {
        var kind: ScannedField.Kind
        var isEmptyContainer = false
        /// For strings: whether any `\` escape occurs (so the text needs unescaping).
        var hasEscapes = false
        /// For numbers: no fraction and no exponent.
        var isInteger = false
    }

    let bytes: UnsafeRawBufferPointer
    let end: Int
    let maxDepth: Int
    var index = 0

    init(bytes: UnsafeRawBufferPointer, maxDepth: Int) {
        self.bytes = bytes
        self.end = bytes.count
        self.maxDepth = maxDepth
    }

    func failure(_ offset: Int, _ reason: String) -> BodyScanError {
        BodyScanError(offset: offset, reason: reason)
    }

    var unexpectedEnd: BodyScanError { failure(end, "unexpected end of body") }

    @inline(__always)
    mutating func skipWhitespace() {
        while index < end {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    /// Walks one value starting at `index` (no leading whitespace). `depth` is the depth a
    /// container starting here would have; the top-level object is depth 1.
    mutating func scanValue(depth: Int) throws(BodyScanError) -> ValueInfo {
        guard index < end else { throw unexpectedEnd }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            return ValueInfo(kind: .object, isEmptyContainer: try scanObject(depth: depth))
        case UInt8(ascii: "["):
            return ValueInfo(kind: .array, isEmptyContainer: try scanArray(depth: depth))
        case UInt8(ascii: "\""):
            return ValueInfo(kind: .string, hasEscapes: try scanString())
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return ValueInfo(kind: .number, isInteger: try scanNumber())
        case UInt8(ascii: "t"):
            try scanLiteral("true")
            return ValueInfo(kind: .bool)
        case UInt8(ascii: "f"):
            try scanLiteral("false")
            return ValueInfo(kind: .bool)
        case UInt8(ascii: "n"):
            try scanLiteral("null")
            return ValueInfo(kind: .null)
        default:
            throw failure(index, "expected a value")
        }
    }

    /// Walks an object whose members nobody asked for. Returns whether it is empty.
    mutating func scanObject(depth: Int) throws(BodyScanError) -> Bool {
        if try openContainer(depth: depth, closing: UInt8(ascii: "}")) { return true }
        var afterComma = false
        while true {
            try expectKey(afterComma: afterComma)
            _ = try scanString()
            try consumeColon()
            _ = try scanValue(depth: depth + 1)
            if try consumeMemberEnd() { return false }
            afterComma = true
        }
    }

    /// Walks an array. Returns whether it is empty.
    mutating func scanArray(depth: Int) throws(BodyScanError) -> Bool {
        if try openContainer(depth: depth, closing: UInt8(ascii: "]")) { return true }
        while true {
            _ = try scanValue(depth: depth + 1)
            skipWhitespace()
            guard index < end else { throw unexpectedEnd }
            switch bytes[index] {
            case UInt8(ascii: ","):
                index += 1
                skipWhitespace()
            case UInt8(ascii: "]"):
                index += 1
                return false
            default:
                throw failure(index, "expected ',' or ']' after array element")
            }
        }
    }

    /// Consumes `{` or `[` and the whitespace after it; consumes the closing bracket too and
    /// returns true when the container is empty.
    mutating func openContainer(depth: Int, closing: UInt8) throws(BodyScanError) -> Bool {
        guard depth <= maxDepth else { throw failure(index, "nesting deeper than \(maxDepth) levels") }
        index += 1
        skipWhitespace()
        guard index < end else { throw unexpectedEnd }
        if bytes[index] == closing {
            index += 1
            return true
        }
        return false
    }

    // The punctuation between members is checked on every member of every chunk of a stream. Compact JSON
    // (what providers send) needs one comparison for each, made where the caller is; what has whitespace
    // around it or is wrong goes out of line, with the error built there.

    /// Checks that a key's opening quote is next.
    @inline(__always)
    func expectKey(afterComma: Bool) throws(BodyScanError) {
        guard index < end, bytes[index] == UInt8(ascii: "\"") else { throw self.keyMissing(afterComma: afterComma) }
    }

    @inline(never)
    func keyMissing(afterComma: Bool) -> BodyScanError {
        guard index < end else { return unexpectedEnd }
        return failure(index, afterComma ? "expected a string key after ','" : "expected a string key or '}'")
    }

    /// Consumes the `:` between a key and its value, with the whitespace around it.
    @inline(__always)
    mutating func consumeColon() throws(BodyScanError) {
        if index + 1 < end, bytes[index] == UInt8(ascii: ":"), !Self.mayBeWhitespace(bytes[index + 1]) {
            index += 1
            return
        }
        try self.consumeSpacedColon()
    }

    @inline(never)
    mutating func consumeSpacedColon() throws(BodyScanError) {
        skipWhitespace()
        guard index < end else { throw unexpectedEnd }
        guard bytes[index] == UInt8(ascii: ":") else { throw failure(index, "expected ':' after object key") }
        index += 1
        skipWhitespace()
    }

    /// Consumes what follows an object member: `,` (returns false) or `}` (returns true).
    @inline(__always)
    mutating func consumeMemberEnd() throws(BodyScanError) -> Bool {
        if index < end, bytes[index] == UInt8(ascii: "}") {
            index += 1
            return true
        }
        if index + 1 < end, bytes[index] == UInt8(ascii: ","), !Self.mayBeWhitespace(bytes[index + 1]) {
            index += 1
            return false
        }
        return try self.consumeSpacedMemberEnd()
    }

    @inline(never)
    mutating func consumeSpacedMemberEnd() throws(BodyScanError) -> Bool {
        skipWhitespace()
        guard index < end else { throw unexpectedEnd }
        switch bytes[index] {
        case UInt8(ascii: ","):
            index += 1
            skipWhitespace()
            return false
        case UInt8(ascii: "}"):
            index += 1
            return true
        default:
            throw failure(index, "expected ',' or '}' after object member")
        }
    }

    /// Whether `byte` may be JSON whitespace (all four are at or below a space): a cheap test that sends
    /// the rare spaced punctuation to the full walk.
    @inline(__always)
    static func mayBeWhitespace(_ byte: UInt8) -> Bool {
        byte <= 0x20
    }

    /// Walks a number. Returns whether it is an integer (no fraction, no exponent).
    mutating func scanNumber() throws(BodyScanError) -> Bool {
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") {
            index += 1
            guard index < end else { throw unexpectedEnd }
            guard isDigit(bytes[index]) else { throw failure(index, "expected a digit after '-'") }
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
            if index < end, isDigit(bytes[index]) {
                throw failure(index - 1, "leading zeros are not allowed in numbers")
            }
        } else {
            skipDigits()
        }
        if index < end, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            guard index < end else { throw unexpectedEnd }
            guard isDigit(bytes[index]) else { throw failure(index, "expected a digit after the decimal point") }
            skipDigits()
        }
        if index < end, bytes[index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            index += 1
            if index < end, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
                index += 1
            }
            guard index < end else { throw unexpectedEnd }
            guard isDigit(bytes[index]) else { throw failure(index, "expected a digit in the exponent") }
            skipDigits()
        }
        return isInteger
    }

    /// Walks `true`, `false` or `null`.
    mutating func scanLiteral(_ literal: StaticString) throws(BodyScanError) {
        let start = index
        let count = literal.utf8CodeUnitCount
        let expected = literal.utf8Start
        // Each is four or five bytes (a stream chunk has several `null`s): the first four compared as one word.
        if index + count <= end,
            bytes.loadUnaligned(fromByteOffset: index, as: UInt32.self)
                == UnsafeRawPointer(expected).loadUnaligned(as: UInt32.self),
            count == 4 || bytes[index + 4] == expected[4]
        {
            index += count
            return
        }
        for offset in 0..<count {
            guard index < end else { throw unexpectedEnd }
            guard bytes[index] == expected[offset] else { throw failure(start, "invalid literal") }
            index += 1
        }
    }

    @inline(__always)
    func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }

    @inline(__always)
    mutating func skipDigits() {
        while index < end, isDigit(bytes[index]) { index += 1 }
    }
}
