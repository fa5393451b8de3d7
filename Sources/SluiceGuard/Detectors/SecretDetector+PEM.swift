extension SecretDetector {
    /// The PEM private-key block starting at `start` (a `-`), or nil.
    ///
    /// The block runs from `-----BEGIN <label>-----`, where the label ends in `PRIVATE KEY` (RSA,
    /// EC, DSA, OPENSSH, ENCRYPTED, PGP … BLOCK), to its `-----END …-----` line. A block cut off
    /// before its END line (a truncated paste) runs as far as its base64 body does, so the key
    /// material is still covered; a BEGIN line with no body after it (code that mentions the
    /// marker) is not a finding.
    static func pemEnd(_ text: ScanText, _ start: Int) -> Int? {
        guard hasPrefix(text, start, "-----BEGIN ") else { return nil }
        var position = start + 11
        let labelStart = position
        while position < text.count, position - labelStart < 64, text[position] != ASCII.dash,
            text[position] != 0x0A
        {
            position += 1
        }
        guard hasPrefix(text, position, "-----") else { return nil }
        guard isPrivateKeyLabel(text, labelStart..<position) else { return nil }
        let bodyStart = position + 5
        if let end = endLine(text, from: bodyStart) { return end }
        var end = bodyStart
        var base64 = 0
        while end < text.count {
            let byte = text[end]
            if ASCII.isAlnum(byte) || byte == ASCII.plus || byte == ASCII.slash || byte == 0x3D {
                base64 += 1
            } else if byte != 0x0A, byte != 0x0D, byte != ASCII.space, byte != 0x09 {
                break
            }
            end += 1
        }
        guard base64 >= 16 else { return nil }
        while end > bodyStart, !ASCII.isAlnum(text[end - 1]), text[end - 1] != 0x3D, text[end - 1] != ASCII.slash,
            text[end - 1] != ASCII.plus
        {
            end -= 1
        }
        return end
    }

    /// Whether the label (between `BEGIN ` and `-----`) names a private key.
    private static func isPrivateKeyLabel(_ text: ScanText, _ range: Range<Int>) -> Bool {
        let key = Array("PRIVATE KEY".utf8)
        guard range.count >= key.count else { return false }
        var position = range.lowerBound
        while position + key.count <= range.upperBound {
            if key.indices.allSatisfy({ text[position + $0] == key[$0] }) { return true }
            position += 1
        }
        return false
    }

    /// The end of the first `-----END …-----` line after `from`.
    private static func endLine(_ text: ScanText, from: Int) -> Int? {
        var position = from
        while position + 8 < text.count {
            if text[position] == ASCII.dash, hasPrefix(text, position, "-----END ") {
                var end = position + 9
                while end < text.count, end - position < 80, text[end] != 0x0A {
                    if hasPrefix(text, end, "-----") { return end + 5 }
                    end += 1
                }
                return nil
            }
            position += 1
        }
        return nil
    }
}
