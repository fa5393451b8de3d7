import SluiceLLM

extension SecretDetector {
    /// The end of a JSON Web Token starting at `start` with `eyJ`, or nil.
    ///
    /// A JWT is three base64url parts split by dots (five for an encrypted JWE); the signature may
    /// be empty (`alg: none`). To tell a token from any dotted base64 text, the header must
    /// decode to a JSON object with an `alg` member.
    static func jwtEnd(_ text: ScanText, _ start: Int) -> Int? {
        guard hasPrefix(text, start, "eyJ") else { return nil }
        let headerEnd = base64URLEnd(text, start)
        guard headerEnd - start >= 10, text[headerEnd] == ASCII.dot else { return nil }
        let payloadEnd = base64URLEnd(text, headerEnd + 1)
        guard payloadEnd - headerEnd - 1 >= 2, text[payloadEnd] == ASCII.dot else { return nil }
        var end = base64URLEnd(text, payloadEnd + 1)
        var parts = 3
        while parts < 5, text[end] == ASCII.dot, isBase64URL(text[end + 1]) {
            end = base64URLEnd(text, end + 1)
            parts += 1
        }
        guard parts == 3 || parts == 5, !ASCII.isWord(text[end]), text[end] != ASCII.dash else { return nil }
        guard headerHasAlgorithm(text, start..<headerEnd) else { return nil }
        return end
    }

    @inline(__always) private static func isBase64URL(_ byte: UInt8) -> Bool {
        ASCII.isAlnum(byte) || byte == ASCII.dash || byte == ASCII.underscore
    }

    private static func base64URLEnd(_ text: ScanText, _ from: Int) -> Int {
        var end = from
        while isBase64URL(text[end]) { end += 1 }
        return end
    }

    /// Whether the base64url text in `range` decodes to a JSON object with a string `alg`.
    private static func headerHasAlgorithm(_ text: ScanText, _ range: Range<Int>) -> Bool {
        guard range.count <= 4096, let decoded = decodeBase64URL(text, range) else { return false }
        guard let scan = try? BodyScan.scan(decoded, fields: ["alg"]) else { return false }
        return scan["alg"]?.kind == .string
    }

    /// Base64url without padding, as JWTs use it; nil if a quantum is malformed.
    static func decodeBase64URL(_ text: ScanText, _ range: Range<Int>) -> [UInt8]? {
        guard range.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(range.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for index in range {
            let byte = text[index]
            let value: UInt32
            switch byte {
            case 0x41...0x5A: value = UInt32(byte - 0x41)
            case 0x61...0x7A: value = UInt32(byte - 0x61 + 26)
            case 0x30...0x39: value = UInt32(byte - 0x30 + 52)
            case ASCII.dash: value = 62
            case ASCII.underscore: value = 63
            default: return nil
            }
            accumulator = accumulator << 6 | value
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
            }
        }
        return output
    }
}
