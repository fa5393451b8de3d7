/// Finds credentials by their published shapes, each behind a fixed prefix, so the scanner only
/// looks when a word starts with one of a few letters:
///
/// | prefix | what | body |
/// | --- | --- | --- |
/// | `sk-`, `sk-proj-`, `sk-ant-`... | OpenAI and Anthropic API keys | 20+ of `A-Z a-z 0-9 _ -`, with a digit and a letter |
/// | `sk_live_`, `sk_test_`, `rk_live_`, `rk_test_` | Stripe keys | 16+ letters and digits |
/// | `AKIA`, `ASIA` | AWS access key IDs | exactly 16 of `A-Z 0-9` |
/// | `ghp_` `gho_` `ghs_` `ghu_` `ghr_` | GitHub tokens | 30+ letters and digits |
/// | `github_pat_` | GitHub fine-grained tokens | 40+ of `A-Z a-z 0-9 _` |
/// | `xoxa-` `xoxb-` `xoxp-` `xoxr-` `xoxs-` `xoxo-` | Slack tokens | 10+ of `A-Z a-z 0-9 -`, with a digit |
/// | `eyJ` | JWTs (`SecretDetector+JWT.swift`) | three base64url parts; the header is JSON with `alg` |
/// | `-----BEGIN … PRIVATE KEY-----` | PEM private keys (`SecretDetector+PEM.swift`) | to the END line |
enum SecretDetector {
    /// The secret starting at `start` (a letter at a word start), if any.
    static func match(_ text: ScanText, at start: Int) -> Range<Int>? {
        let first = text[start]
        let end: Int?
        switch first {
        case 0x73:  // s
            end = apiKey(text, start) ?? stripeKey(text, start)
        case 0x72:  // r
            end = stripeKey(text, start)
        case 0x41:  // A
            end = awsKeyID(text, start)
        case 0x67:  // g
            end = gitHubToken(text, start)
        case 0x78:  // x
            end = slackToken(text, start)
        case 0x65:  // e
            end = jwtEnd(text, start)
        default:
            end = nil
        }
        return end.map { start..<$0 }
    }

    /// Whether a secret could start at `start`, from its first two bytes: the check the scanner
    /// makes at every word start before calling ``match(_:at:)``.
    @inline(__always) static func mayStart(_ text: ScanText, at start: Int) -> Bool {
        let second = text[start + 1]
        switch text[start] {
        case 0x73, 0x72: return second == 0x6B  // sk, rk
        case 0x41: return second == 0x4B || second == 0x53  // AK, AS
        case 0x67: return second == 0x68 || second == 0x69  // gh, gi(thub_pat_)
        case 0x78: return second == 0x6F  // xo
        case 0x65: return second == 0x79  // ey
        default: return false
        }
    }

    @inline(__always) static func isKeyByte(_ byte: UInt8) -> Bool {
        ASCII.isAlnum(byte) || byte == ASCII.underscore || byte == ASCII.dash
    }

    /// Whether `text` at `start` begins with `prefix`.
    static func hasPrefix(_ text: ScanText, _ start: Int, _ prefix: StaticString) -> Bool {
        let count = prefix.utf8CodeUnitCount
        guard start + count <= text.count else { return false }
        let bytes = prefix.utf8Start
        for offset in 0..<count where text[start + offset] != bytes[offset] { return false }
        return true
    }

    /// `sk-…`: OpenAI (`sk-`, `sk-proj-`, `sk-svcacct-`, `sk-admin-`) and Anthropic (`sk-ant-`).
    private static func apiKey(_ text: ScanText, _ start: Int) -> Int? {
        guard hasPrefix(text, start, "sk-") else { return nil }
        var end = start + 3
        var digits = 0
        var letters = 0
        while isKeyByte(text[end]) {
            if ASCII.isDigit(text[end]) { digits += 1 } else if ASCII.isLetter(text[end]) { letters += 1 }
            end += 1
        }
        guard end - start - 3 >= 20, digits > 0, letters > 0 else { return nil }
        return end
    }

    private static func stripeKey(_ text: ScanText, _ start: Int) -> Int? {
        guard
            hasPrefix(text, start, "sk_live_") || hasPrefix(text, start, "sk_test_")
                || hasPrefix(text, start, "rk_live_") || hasPrefix(text, start, "rk_test_")
        else { return nil }
        let end = alnumEnd(text, start + 8)
        return end - start - 8 >= 16 && !isKeyByte(text[end]) ? end : nil
    }

    private static func awsKeyID(_ text: ScanText, _ start: Int) -> Int? {
        guard hasPrefix(text, start, "AKIA") || hasPrefix(text, start, "ASIA") else { return nil }
        var end = start + 4
        while ASCII.isUpper(text[end]) || ASCII.isDigit(text[end]) { end += 1 }
        return end - start == 20 && !ASCII.isWord(text[end]) ? end : nil
    }

    private static func gitHubToken(_ text: ScanText, _ start: Int) -> Int? {
        if hasPrefix(text, start, "github_pat_") {
            var end = start + 11
            while ASCII.isAlnum(text[end]) || text[end] == ASCII.underscore { end += 1 }
            return end - start - 11 >= 40 && !isKeyByte(text[end]) ? end : nil
        }
        guard text[start + 1] == 0x68, text[start + 3] == ASCII.underscore else { return nil }
        switch text[start + 2] {
        case 0x70, 0x6F, 0x73, 0x75, 0x72: break  // p o s u r
        default: return nil
        }
        let end = alnumEnd(text, start + 4)
        return end - start - 4 >= 30 && !isKeyByte(text[end]) ? end : nil
    }

    private static func slackToken(_ text: ScanText, _ start: Int) -> Int? {
        guard hasPrefix(text, start, "xox"), text[start + 4] == ASCII.dash else { return nil }
        switch text[start + 3] {
        case 0x61, 0x62, 0x70, 0x72, 0x73, 0x6F: break  // a b p r s o
        default: return nil
        }
        var end = start + 5
        var digits = 0
        while ASCII.isAlnum(text[end]) || text[end] == ASCII.dash {
            if ASCII.isDigit(text[end]) { digits += 1 }
            end += 1
        }
        return end - start - 5 >= 10 && digits > 0 && !ASCII.isWord(text[end]) ? end : nil
    }

    private static func alnumEnd(_ text: ScanText, _ from: Int) -> Int {
        var end = from
        while ASCII.isAlnum(text[end]) { end += 1 }
        return end
    }
}
