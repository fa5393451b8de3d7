/// The key names a scan is looking for, kept as UTF-8 so a plain key is matched by comparing bytes.
struct FieldMatcher {
    let names: [String]
    private let utf8: [[UInt8]]

    init<Names: Sequence<String>>(_ names: Names) {
        self.names = Array(names)
        self.utf8 = self.names.map { Array($0.utf8) }
    }

    var isEmpty: Bool { names.isEmpty }

    /// The wanted name equal to the key whose text (without quotes) is `range`, if any.
    /// A key written with escapes (`"mod\u0065l"`) is unescaped first: it means what it decodes to.
    func match(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, hasEscapes: Bool) -> String? {
        if hasEscapes {
            let key = JSONSyntaxScanner.unescapedString(bytes, range, hasEscapes: true)
            return names.first { $0 == key }
        }
        candidates: for (position, name) in utf8.enumerated() where name.count == range.count {
            var offset = range.lowerBound
            for byte in name {
                guard bytes[offset] == byte else { continue candidates }
                offset += 1
            }
            return names[position]
        }
        return nil
    }
}
