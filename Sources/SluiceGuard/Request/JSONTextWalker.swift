import SluiceLLM

/// Walks a JSON document, hands the text values a ``TextSelector`` picks out to a
/// ``TextVisitor``, and splices in what the visitor returns. Every other byte (keys, structure,
/// whitespace, numbers, other strings) is kept exactly.
///
/// String values are decoded before the visitor sees them (so `a\u0040b.com` is seen as
/// `a@b.com`) and re-encoded when replaced. The walk checks structure as it goes but is not a
/// full validator; the proxy has validated the body with `BodyScan` before.
struct JSONTextWalker<Visitor: TextVisitor> {
    private let bytes: UnsafeRawBufferPointer
    private var index = 0
    private var edits: [(range: Range<Int>, replacement: [UInt8])] = []
    var visitor: Visitor

    static var maxDepth: Int { BodyScan.maxDepth }

    init(_ bytes: UnsafeRawBufferPointer, visitor: Visitor) {
        self.bytes = bytes
        self.visitor = visitor
    }

    /// Walks the whole document; returns the rewritten bytes, or nil when nothing was replaced.
    mutating func rewrite(_ selector: TextSelector) throws(BodyScanError) -> [UInt8]? {
        skipWhitespace()
        try value(selector, depth: 1)
        skipWhitespace()
        guard index == bytes.count else { throw failure("unexpected data after the JSON value") }
        guard !edits.isEmpty else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count + edits.count * 8)
        var copied = 0
        for edit in edits {
            output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied..<edit.range.lowerBound]))
            output.append(contentsOf: edit.replacement)
            copied = edit.range.upperBound
        }
        output.append(contentsOf: UnsafeRawBufferPointer(rebasing: bytes[copied...]))
        return output
    }

    private func failure(_ reason: String) -> BodyScanError {
        BodyScanError(offset: index, reason: reason)
    }

    @inline(__always) private func peek(_ offset: Int = 0) -> UInt8 {
        index + offset < bytes.count ? bytes[index + offset] : 0
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x09, 0x0A, 0x0D: index += 1
            default: return
            }
        }
    }

    private mutating func value(_ selector: TextSelector?, depth: Int) throws(BodyScanError) {
        guard depth <= Self.maxDepth else { throw failure("nesting deeper than \(Self.maxDepth) levels") }
        switch peek() {
        case 0x7B: try object(selector, depth: depth)
        case 0x5B: try array(selector, depth: depth)
        case 0x22:
            let start = index
            let (content, escaped) = try string()
            if let role = selector?.role, role != .none {
                try text(start..<index, content: content, escaped: escaped, role: role)
            }
        case 0x2D, 0x30...0x39:
            let start = index
            while index < bytes.count, Self.isNumberByte(bytes[index]) { index += 1 }
            if selector?.role == .everything,
                let replacement = visitor.visit(number: UnsafeRawBufferPointer(rebasing: bytes[start..<index]))
            {
                edits.append((start..<index, JSONStringCodec.quoted(replacement)))
            }
        case 0x74, 0x66, 0x6E:
            while index < bytes.count, ASCII.isLower(bytes[index]) { index += 1 }
        default:
            throw failure("expected a value")
        }
    }

    private static func isNumberByte(_ byte: UInt8) -> Bool {
        ASCII.isDigit(byte) || byte == 0x2D || byte == 0x2B || byte == 0x2E || byte | 0x20 == 0x65
    }

    private mutating func object(_ selector: TextSelector?, depth: Int) throws(BodyScanError) {
        index += 1
        skipWhitespace()
        if peek() == 0x7D {
            index += 1
            return
        }
        while true {
            guard peek() == 0x22 else { throw failure("expected a key") }
            let (key, escaped) = try string()
            skipWhitespace()
            guard peek() == 0x3A else { throw failure("expected ':' after object key") }
            index += 1
            skipWhitespace()
            let child: TextSelector?
            if selector?.role == .everything {
                child = selector
            } else if let selector, !selector.members.isEmpty {
                child =
                    escaped
                    ? selector.members[keyText(key)]
                    : selector.member(rawKey: UnsafeRawBufferPointer(rebasing: bytes[key]))
            } else {
                child = nil
            }
            try value(child, depth: depth + 1)
            skipWhitespace()
            switch peek() {
            case 0x2C:
                index += 1
                skipWhitespace()
            case 0x7D:
                index += 1
                return
            default:
                throw failure("expected ',' or '}' after object member")
            }
        }
    }

    private mutating func array(_ selector: TextSelector?, depth: Int) throws(BodyScanError) {
        index += 1
        skipWhitespace()
        if peek() == 0x5D {
            index += 1
            return
        }
        let child = selector?.role == .everything ? selector : selector?.elements
        while true {
            try value(child, depth: depth + 1)
            skipWhitespace()
            switch peek() {
            case 0x2C:
                index += 1
                skipWhitespace()
            case 0x5D:
                index += 1
                return
            default:
                throw failure("expected ',' or ']' after array element")
            }
        }
    }

    /// Walks a string literal; returns its content range (without quotes) and whether it has escapes.
    private mutating func string() throws(BodyScanError) -> (Range<Int>, Bool) {
        let start = index + 1
        index = start
        var escaped = false
        // Eight bytes at a time while none is a quote or a backslash (SWAR: a zero byte in
        // `word ^ pattern` marks a match).
        while index + 8 <= bytes.count {
            let word = bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            let quotes = word ^ 0x2222_2222_2222_2222
            let slashes = word ^ 0x5C5C_5C5C_5C5C_5C5C
            let low: UInt64 = 0x0101_0101_0101_0101
            let high: UInt64 = 0x8080_8080_8080_8080
            let hasQuote = (quotes &- low) & ~quotes & high
            let hasSlash = (slashes &- low) & ~slashes & high
            if hasQuote | hasSlash != 0 { break }
            index += 8
        }
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x22 {
                index += 1
                return (start..<index - 1, escaped)
            }
            if byte == 0x5C {
                escaped = true
                index += 2
            } else {
                index += 1
            }
        }
        throw BodyScanError(offset: start - 1, reason: "unterminated string")
    }

    /// The text of a key written with escapes (`"cont\u0065nt"` is `content`).
    private func keyText(_ range: Range<Int>) -> String {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[range])
        guard let decoded = JSONStringCodec.decode(raw) else { return String(decoding: raw, as: UTF8.self) }
        return String(decoding: decoded, as: UTF8.self)
    }

    /// Hands a text string to the visitor and records the replacement it returns.
    private mutating func text(
        _ literal: Range<Int>, content: Range<Int>, escaped: Bool, role: TextSelector.Role
    ) throws(BodyScanError) {
        let raw = UnsafeRawBufferPointer(rebasing: bytes[content])
        var replacement: [UInt8]?
        if escaped {
            guard let decoded = JSONStringCodec.decode(raw) else { throw failure("invalid escape sequence in string") }
            replacement = decoded.withUnsafeBytes { visitText($0, role: role) }
        } else {
            replacement = visitText(raw, role: role)
        }
        if let replacement { edits.append((literal, JSONStringCodec.quoted(replacement))) }
    }

    private mutating func visitText(_ text: UnsafeRawBufferPointer, role: TextSelector.Role) -> [UInt8]? {
        guard role == .embeddedJSON, Self.isJSONObjectOrArray(text) else { return visitor.visit(text: text) }
        var inner = JSONTextWalker(text, visitor: visitor)
        do {
            let rewritten = try inner.rewrite(.everything)
            visitor = inner.visitor
            return rewritten
        } catch {
            return visitor.visit(text: text)
        }
    }

    /// Whether `text` is a JSON object or array (checked before walking it, so a visitor never
    /// sees half of a document that turns out not to be JSON).
    private static func isJSONObjectOrArray(_ text: UnsafeRawBufferPointer) -> Bool {
        guard let first = text.first(where: { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }) else {
            return false
        }
        if first == 0x7B { return (try? BodyScan.validate(Array(text))) != nil }
        guard first == 0x5B else { return false }
        var wrapped: [UInt8] = Array("{\"a\":".utf8)
        wrapped.append(contentsOf: text)
        wrapped.append(0x7D)
        return (try? BodyScan.validate(wrapped)) != nil
    }
}
