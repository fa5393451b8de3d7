extension JSONSyntaxScanner {
    /// A captured field under its name, and the name of the top-level member whose object holds it (nil
    /// for a top-level field).
    struct Capture: Sendable {
        var name: String
        var parent: String?
        var field: ScannedField
    }

    /// Walks a whole body that must be one JSON object, capturing the fields of `query`: the top-level
    /// ones and the nested ones in one list, one allocation per scan rather than a list per level and a
    /// dictionary of them.
    mutating func scanDocument(query: BodyScan.Query) throws(BodyScanError) -> [Capture] {
        skipWhitespace()
        guard index < end else { throw failure(0, BodyScanError.emptyBody) }
        guard bytes[index] == UInt8(ascii: "{") else {
            throw failure(index, "top-level value must be a JSON object")
        }
        var captures: [Capture] = []
        if query.wanted.isEmpty {
            _ = try scanObject(depth: 1)
        } else {
            // Room for every field a request scan asks for: grown from empty it would be reallocated twice.
            captures.reserveCapacity(8)
            try scanCapturingObject(depth: 1, wanted: query.wanted, query: query, parent: nil, into: &captures)
        }
        skipWhitespace()
        guard index == end else { throw failure(index, "unexpected data after the top-level object") }
        return captures
    }

    /// Walks an object like `scanObject`, recording the members named by `wanted` under `parent`; when
    /// `query` is given (top level only), also the wanted members of nested objects.
    /// A wanted key that occurs twice is an error: a gateway that read the first `model` while
    /// the provider honours the last would authorise one model and bill another.
    mutating func scanCapturingObject(
        depth: Int,
        wanted: FieldMatcher,
        query: BodyScan.Query?,
        parent: String?,
        into captures: inout [Capture]
    ) throws(BodyScanError) {
        if try openContainer(depth: depth, closing: UInt8(ascii: "}")) { return }
        var afterComma = false
        while true {
            try expectKey(afterComma: afterComma)
            let keyStart = index
            let keyEscaped = try scanString()
            let name = wanted.match(bytes, keyStart + 1..<index - 1, hasEscapes: keyEscaped)
            try consumeColon()
            let valueStart = index
            if let name {
                guard !captures.contains(where: { $0.name == name && $0.parent == parent }) else {
                    throw failure(keyStart, "duplicate key \"\(name)\"")
                }
                let info: ValueInfo
                if let inner = query?.memberMatcher(name), index < end, bytes[index] == UInt8(ascii: "{") {
                    let empty = index
                    try scanCapturingObject(depth: depth + 1, wanted: inner, query: nil, parent: name, into: &captures)
                    info = ValueInfo(kind: .object, isEmptyContainer: isEmptyObject(from: empty))
                } else {
                    info = try scanValue(depth: depth + 1)
                }
                captures.append(Capture(name: name, parent: parent, field: field(info, valueStart..<index)))
            } else {
                _ = try scanValue(depth: depth + 1)
            }
            if try consumeMemberEnd() { return }
            afterComma = true
        }
    }

    /// Whether the object starting at `start` (already validated) has no members.
    private func isEmptyObject(from start: Int) -> Bool {
        var position = start + 1
        while position < end {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return bytes[position] == UInt8(ascii: "}")
            }
        }
        return false
    }

    /// Describes a value the scanner has just walked over.
    func field(_ info: ValueInfo, _ range: Range<Int>) -> ScannedField {
        var field = ScannedField(kind: info.kind, valueRange: range, isEmptyContainer: info.isEmptyContainer)
        switch info.kind {
        case .string:
            field.string = Self.unescapedString(
                bytes, range.lowerBound + 1..<range.upperBound - 1, hasEscapes: info.hasEscapes)
        case .bool:
            field.bool = bytes[range.lowerBound] == UInt8(ascii: "t")
        case .number where info.isInteger:
            field.integer = integer(range)
        default:
            break
        }
        return field
    }

    /// The value of an integer literal, or nil when it does not fit `Int`.
    private func integer(_ range: Range<Int>) -> Int? {
        var position = range.lowerBound
        let negative = bytes[position] == UInt8(ascii: "-")
        if negative { position += 1 }
        var value = 0
        while position < range.upperBound {
            let digit = Int(bytes[position] - UInt8(ascii: "0"))
            let (shifted, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative ? shifted.subtractingReportingOverflow(digit) : shifted.addingReportingOverflow(digit)
            if overflow1 || overflow2 { return nil }
            value = next
            position += 1
        }
        return value
    }
}
