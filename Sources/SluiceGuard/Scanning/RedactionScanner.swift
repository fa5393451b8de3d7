/// Finds personal data and secrets in text: the built-in detectors in one pass over the UTF-8
/// bytes, then each custom pattern and term list.
///
/// The pass dispatches on the byte under it and skips the rest of a word at once, so ordinary
/// prose costs a compare or two per byte:
/// - a letter at a word start may begin a secret (`sk-`, `AKIA`, `ghp_`, `xox`, `eyJ`), an IBAN
///   (two capitals and two digits) or an IPv6 address (hex then `:`);
/// - a digit at a number start may begin an IP address, a card number, an SSN or a phone number;
/// - `+` and `(` may begin a phone number, `:` an IPv6 address, `-----BEGIN` a PEM key;
/// - `@` expands into an e-mail address around it.
///
/// Findings come back in text order without overlaps (the longer of two overlapping wins). They
/// carry types and byte ranges, never values.
public struct RedactionScanner: Sendable {
    /// The built-in detectors that run.
    public let detectors: Set<BuiltinDetector>
    /// The policy's named patterns.
    public let patterns: [CustomPatternDetector]
    /// The policy's named term lists.
    public let terms: [TermDetector]

    private let email: Bool
    private let phone: Bool
    private let card: Bool
    private let ssn: Bool
    private let iban: Bool
    private let ip: Bool
    private let secret: Bool

    /// A scanner running `detectors`, then `patterns` and `terms`.
    public init(
        detectors: Set<BuiltinDetector> = Set(BuiltinDetector.allCases),
        patterns: [CustomPatternDetector] = [],
        terms: [TermDetector] = []
    ) {
        self.detectors = detectors
        self.patterns = patterns
        self.terms = terms
        email = detectors.contains(.email)
        phone = detectors.contains(.phone)
        card = detectors.contains(.creditCard)
        ssn = detectors.contains(.ssn)
        iban = detectors.contains(.iban)
        ip = detectors.contains(.ipAddress)
        secret = detectors.contains(.secret)
    }

    /// Whether the scanner has nothing to look for.
    public var isEmpty: Bool { detectors.isEmpty && patterns.isEmpty && terms.isEmpty }

    /// The findings in `text`; ranges are UTF-8 byte offsets into it.
    public func scan(_ text: String) -> [Finding] {
        var copy = text
        return copy.withUTF8 { scan(UnsafeRawBufferPointer($0), text: text) }
    }

    /// The findings in the UTF-8 bytes `bytes`.
    public func scan(_ bytes: UnsafeRawBufferPointer) -> [Finding] {
        scan(bytes, text: String(decoding: bytes, as: UTF8.self))
    }

    /// The findings in `bytes`, with `text` (its decoding) built only if a pattern needs it.
    func scan(_ bytes: UnsafeRawBufferPointer, text: @autoclosure () -> String) -> [Finding] {
        var findings: [Finding] = []
        if !detectors.isEmpty { scanBuiltins(ScanText(bytes), into: &findings) }
        guard !patterns.isEmpty || !terms.isEmpty else { return findings }
        let string = patterns.isEmpty ? "" : text()
        for pattern in patterns { findings += pattern.findings(in: string) }
        for list in terms { findings += list.findings(in: bytes, text: patterns.isEmpty ? text() : string) }
        return findings.withoutOverlaps()
    }

    /// The single pass of the built-in detectors.
    private func scanBuiltins(_ text: ScanText, into findings: inout [Finding]) {
        let bytes = text.bytes
        let count = text.count
        var index = 0
        while index < count {
            let byte = bytes[index]
            if ASCII.isLetter(byte) {
                if text.isWordStart(index), let found = wordToken(text, at: index) {
                    findings.append(found)
                    index = found.range.upperBound
                    continue
                }
                index += 1
                while index < count, ASCII.isAlnum(bytes[index]) || bytes[index] == ASCII.underscore { index += 1 }
                continue
            }
            if ASCII.isDigit(byte) {
                if text.isNumberStart(index), let found = numberToken(text, at: index) {
                    findings.append(found)
                    index = found.range.upperBound
                    continue
                }
                index += 1
                while index < count, ASCII.isAlnum(bytes[index]) || bytes[index] == ASCII.underscore { index += 1 }
                continue
            }
            if byte < 0x80, let found = punctuationToken(text, at: index, byte: byte) {
                if found.type == .email {
                    while let last = findings.last, last.range.overlaps(found.range) { findings.removeLast() }
                } else if let last = findings.last, last.range.overlaps(found.range) {
                    index += 1
                    continue
                }
                findings.append(found)
                index = found.range.upperBound
                continue
            }
            index += 1
        }
    }

    /// A token starting with a letter at a word start.
    @inline(__always) private func wordToken(_ text: ScanText, at index: Int) -> Finding? {
        let byte = text[index]
        if secret, SecretDetector.mayStart(text, at: index), let range = SecretDetector.match(text, at: index) {
            return Finding(type: .secret, range: range)
        }
        if iban, ASCII.isUpper(byte), ASCII.isUpper(text[index + 1]), let range = IBANDetector.match(text, at: index) {
            return Finding(type: .iban, range: range)
        }
        if ip, Self.hexRunThenColon(text, index), let range = IPAddressDetector.match(text, at: index) {
            return Finding(type: .ipAddress, range: range)
        }
        return nil
    }

    /// One to four hex digits and a `:` at `index`: the only way an IPv6 address starts with a letter.
    @inline(__always) private static func hexRunThenColon(_ text: ScanText, _ index: Int) -> Bool {
        var length = 0
        while length < 5, ASCII.isHex(text[index + length]) { length += 1 }
        return length >= 1 && length <= 4 && text[index + length] == ASCII.colon
    }

    /// A token starting with a digit at a number start.
    @inline(__always) private func numberToken(_ text: ScanText, at index: Int) -> Finding? {
        if ip, let range = IPAddressDetector.match(text, at: index) {
            return Finding(type: .ipAddress, range: range)
        }
        if card, let range = CreditCardDetector.match(text, at: index) {
            return Finding(type: .creditCard, range: range)
        }
        if ssn, let range = SSNDetector.match(text, at: index) {
            return Finding(type: .ssn, range: range)
        }
        if phone, let range = PhoneDetector.match(text, at: index) {
            return Finding(type: .phone, range: range)
        }
        return nil
    }

    /// A token triggered by punctuation: `@`, `+`, `(`, `:`, `-`.
    @inline(__always) private func punctuationToken(_ text: ScanText, at index: Int, byte: UInt8) -> Finding? {
        switch byte {
        case ASCII.at:
            guard email, let range = EmailDetector.match(text, at: index) else { return nil }
            return Finding(type: .email, range: range)
        case ASCII.plus, ASCII.openParen:
            guard phone, text.isWordStart(index), let range = PhoneDetector.match(text, at: index) else { return nil }
            return Finding(type: .phone, range: range)
        case ASCII.colon:
            guard ip, text[index + 1] == ASCII.colon, let range = IPAddressDetector.match(text, at: index) else {
                return nil
            }
            return Finding(type: .ipAddress, range: range)
        case ASCII.dash:
            guard secret, text[index + 1] == ASCII.dash, let end = SecretDetector.pemEnd(text, index) else {
                return nil
            }
            return Finding(type: .secret, range: index..<end)
        default:
            return nil
        }
    }
}
