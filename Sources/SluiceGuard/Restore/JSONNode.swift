/// A parsed JSON value that remembers where each part is in the source bytes, so a caller can
/// look members up by key in any order and then splice new values into the original text.
/// Used for the small JSON objects of stream events.
indirect enum JSONNode {
    case object([(key: String, value: JSONNode)], Range<Int>)
    case array([JSONNode], Range<Int>)
    /// A string: the literal's range (quotes included) and its decoded text.
    case string([UInt8], Range<Int>)
    /// A number, `true`, `false` or `null`, by its literal text.
    case scalar([UInt8], Range<Int>)

    /// The byte range of the value in the source.
    var range: Range<Int> {
        switch self {
        case .object(_, let range), .array(_, let range), .string(_, let range), .scalar(_, let range): range
        }
    }

    /// The member `key` of an object.
    subscript(key: String) -> JSONNode? {
        guard case .object(let members, _) = self else { return nil }
        return members.first { $0.key == key }?.value
    }

    /// The elements of an array, or none.
    var elements: [JSONNode] {
        guard case .array(let elements, _) = self else { return [] }
        return elements
    }

    /// The decoded text of a string.
    var text: [UInt8]? {
        guard case .string(let text, _) = self else { return nil }
        return text
    }

    /// The value of an integer literal.
    var integer: Int? {
        guard case .scalar(let literal, _) = self else { return nil }
        return Int(String(decoding: literal, as: UTF8.self))
    }

    /// Whether the value is absent in effect: `null`.
    var isNull: Bool {
        guard case .scalar(let literal, _) = self else { return false }
        return literal == Array("null".utf8)
    }

    /// Parses `bytes` as one JSON value; nil if it is not one.
    static func parse(_ bytes: [UInt8]) -> JSONNode? {
        bytes.withUnsafeBytes { buffer in
            var parser = Parser(bytes: buffer)
            guard let node = parser.value(depth: 0) else { return nil }
            parser.skipWhitespace()
            return parser.index == buffer.count ? node : nil
        }
    }

    private struct Parser {
        let bytes: UnsafeRawBufferPointer
        var index = 0

        func peek() -> UInt8 { index < bytes.count ? bytes[index] : 0 }

        mutating func skipWhitespace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }

        mutating func value(depth: Int) -> JSONNode? {
            guard depth < 64 else { return nil }
            skipWhitespace()
            let start = index
            switch peek() {
            case 0x7B:
                index += 1
                var members: [(key: String, value: JSONNode)] = []
                skipWhitespace()
                if peek() == 0x7D {
                    index += 1
                    return .object(members, start..<index)
                }
                while true {
                    skipWhitespace()
                    guard case .string(let key, _)? = value(depth: depth + 1) else { return nil }
                    skipWhitespace()
                    guard peek() == 0x3A else { return nil }
                    index += 1
                    guard let member = value(depth: depth + 1) else { return nil }
                    members.append((String(decoding: key, as: UTF8.self), member))
                    skipWhitespace()
                    let next = peek()
                    index += 1
                    if next == 0x7D { return .object(members, start..<index) }
                    guard next == 0x2C else { return nil }
                }
            case 0x5B:
                index += 1
                var elements: [JSONNode] = []
                skipWhitespace()
                if peek() == 0x5D {
                    index += 1
                    return .array(elements, start..<index)
                }
                while true {
                    guard let element = value(depth: depth + 1) else { return nil }
                    elements.append(element)
                    skipWhitespace()
                    let next = peek()
                    index += 1
                    if next == 0x5D { return .array(elements, start..<index) }
                    guard next == 0x2C else { return nil }
                }
            case 0x22:
                index += 1
                while index < bytes.count, bytes[index] != 0x22 { index += bytes[index] == 0x5C ? 2 : 1 }
                guard index < bytes.count else { return nil }
                index += 1
                let raw = UnsafeRawBufferPointer(rebasing: bytes[start + 1..<index - 1])
                guard let text = JSONStringCodec.decode(raw) else { return nil }
                return .string(text, start..<index)
            case 0x2D, 0x30...0x39, 0x74, 0x66, 0x6E:
                while index < bytes.count, ASCII.isAlnum(bytes[index]) || [0x2D, 0x2B, 0x2E].contains(bytes[index]) {
                    index += 1
                }
                return .scalar(Array(UnsafeRawBufferPointer(rebasing: bytes[start..<index])), start..<index)
            default:
                return nil
            }
        }
    }
}
