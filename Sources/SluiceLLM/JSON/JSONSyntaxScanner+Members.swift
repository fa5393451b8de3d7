extension JSONSyntaxScanner {
    /// Walks a whole body that must be one JSON object, handing each top-level member to `visit` as it
    /// passes: the key's text (without its quotes) and whether it has escapes, the value's range and what
    /// the value is. Validates like ``scanDocument(query:)`` and builds nothing: for a hot caller that
    /// reads one or two members of many small documents (every chunk of a stream), where
    /// ``BodyScan``'s arrays of captures would cost an allocation per document.
    mutating func scanMembers(
        _ visit: (_ key: Range<Int>, _ keyHasEscapes: Bool, _ value: Range<Int>, _ info: ValueInfo) throws(
            BodyScanError
        ) -> Void
    ) throws(BodyScanError) {
        skipWhitespace()
        guard index < end else { throw failure(0, BodyScanError.emptyBody) }
        guard bytes[index] == UInt8(ascii: "{") else {
            throw failure(index, "top-level value must be a JSON object")
        }
        if try !openContainer(depth: 1, closing: UInt8(ascii: "}")) {
            var afterComma = false
            while true {
                try expectKey(afterComma: afterComma)
                let keyStart = index
                let keyHasEscapes = try scanString()
                let key = keyStart + 1..<index - 1
                try consumeColon()
                let valueStart = index
                let info = try scanValue(depth: 2)
                try visit(key, keyHasEscapes, valueStart..<index, info)
                if try consumeMemberEnd() { break }
                afterComma = true
            }
        }
        skipWhitespace()
        guard index == end else { throw failure(index, "unexpected data after the top-level object") }
    }

    /// Whether the key text at `range` (without quotes) means `name`; a key written with escapes is
    /// unescaped first.
    static func key(
        _ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, hasEscapes: Bool, is name: StaticString
    ) -> Bool {
        if hasEscapes {
            return unescapedString(bytes, range, hasEscapes: true) == name.description
        }
        guard range.count == name.utf8CodeUnitCount else { return false }
        let expected = name.utf8Start
        var offset = 0
        for position in range {
            guard bytes[position] == expected[offset] else { return false }
            offset += 1
        }
        return true
    }
}
