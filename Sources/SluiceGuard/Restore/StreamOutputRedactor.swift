/// Redacts the model's own output as it streams (`output: true`), holding back the tail of the
/// text that could still grow into a finding.
///
/// What is held: the trailing run of characters that can belong to a finding (letters, digits
/// and the punctuation of addresses and numbers, single spaces between digit groups), at most
/// ``window`` bytes; and a PEM block from its BEGIN line until its END line arrives. A value
/// longer than the window that arrives in pieces may be missed; typical personal data is far
/// shorter.
struct StreamOutputRedactor {
    /// The most bytes held back for a possible finding (PEM blocks excepted).
    static let window = 256

    private let scanner: RedactionScanner
    private var table: MaskTable
    private var pending: [UInt8] = []
    private(set) var counts = FindingCounts()

    init(scanner: RedactionScanner, masks: MaskTable) {
        self.scanner = scanner
        self.table = masks
    }

    var heldBytes: Int { pending.count }

    mutating func feed(_ piece: [UInt8]) -> [UInt8] {
        pending.append(contentsOf: piece)
        let cut = safeEnd(pending)
        guard cut > 0 else { return [] }
        let ready = Array(pending[..<cut])
        pending.removeFirst(cut)
        return redact(ready)
    }

    mutating func finish() -> [UInt8] {
        defer { pending.removeAll() }
        return redact(pending)
    }

    private mutating func redact(_ text: [UInt8]) -> [UInt8] {
        text.withUnsafeBytes { bytes in
            let findings = scanner.scan(bytes)
            guard !findings.isEmpty else { return text }
            for finding in findings { counts.add(finding.type) }
            return Masker.mask(bytes, findings: findings, table: &table)
        }
    }

    /// Where the text may be cut: before the trailing run that a finding could still extend.
    private func safeEnd(_ text: [UInt8]) -> Int {
        if let begin = lastIndex(of: Array("-----BEGIN ".utf8), in: text),
            lastIndex(of: Array("-----END ".utf8), in: text).map({ $0 < begin }) ?? true
        {
            return begin
        }
        var cut = text.count
        while cut > 0, text.count - cut < Self.window {
            let byte = text[cut - 1]
            if Self.mayContinue(byte) {
                cut -= 1
            } else if byte == ASCII.space, cut >= 2, ASCII.isDigit(text[cut - 2]) || text[cut - 2] == ASCII.closeParen {
                cut -= 1
            } else {
                break
            }
        }
        return text.count - cut >= Self.window ? text.count - Self.window : cut
    }

    private static func mayContinue(_ byte: UInt8) -> Bool {
        ASCII.isWord(byte) || byte == ASCII.at || byte == ASCII.dot || byte == ASCII.dash || byte == ASCII.plus
            || byte == ASCII.openParen || byte == ASCII.closeParen || byte == ASCII.colon || byte == ASCII.slash
            || byte == 0x25 || byte == 0x3D
    }

    private func lastIndex(of needle: [UInt8], in text: [UInt8]) -> Int? {
        guard text.count >= needle.count else { return nil }
        var start = text.count - needle.count
        while start >= 0 {
            if text[start] == needle[0], text[start..<start + needle.count].elementsEqual(needle) { return start }
            start -= 1
        }
        return nil
    }
}
