/// Finds international bank account numbers: a country code, two check digits and the national
/// account number, bare (`GB82WEST12345698765432`) or in groups of four split by single spaces
/// (`DE89 3704 0044 0532 0130 00`).
///
/// The length must be the one the IBAN registry gives the country (``IBANCountries``) and the
/// whole number must pass the ISO 7064 mod-97 check, which leaves about one random string in a
/// hundred through on top of the length and country checks.
enum IBANDetector {
    /// The IBAN starting at `start` (a capital letter at a word start), if any.
    static func match(_ text: ScanText, at start: Int) -> Range<Int>? {
        guard ASCII.isUpper(text[start + 1]), ASCII.isDigit(text[start + 2]), ASCII.isDigit(text[start + 3]) else {
            return nil
        }
        guard let length = IBANCountries.length(text[start], text[start + 1]) else { return nil }
        var position = start
        var characters = 0
        var remainder = 0
        // The check runs over the account part first, then the country and check digits.
        while characters < length {
            let byte = text[position]
            if byte == ASCII.space, characters % 4 == 0, characters > 0, isIBANCharacter(text[position + 1]) {
                position += 1
                continue
            }
            guard isIBANCharacter(byte) else { return nil }
            if characters >= 4 { remainder = mod97(remainder, byte) }
            characters += 1
            position += 1
        }
        guard !ASCII.isWord(text[position]) else { return nil }
        for offset in 0..<4 { remainder = mod97(remainder, text[start + offset]) }
        guard remainder == 1 else { return nil }
        return start..<position
    }

    @inline(__always) private static func isIBANCharacter(_ byte: UInt8) -> Bool {
        ASCII.isDigit(byte) || ASCII.isUpper(byte)
    }

    /// Folds one IBAN character into a running mod-97 remainder; letters count as 10–35.
    @inline(__always) private static func mod97(_ remainder: Int, _ byte: UInt8) -> Int {
        if ASCII.isDigit(byte) { return (remainder * 10 + Int(byte &- 0x30)) % 97 }
        return (remainder * 100 + Int(byte &- 0x41) + 10) % 97
    }
}
