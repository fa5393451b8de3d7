#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// Virtual keys: what `sluice key new` makes and `sluice key hash` reads.
///
/// A virtual key identifies a caller as a workload; the policy holds only its ``KeyHash``.
public enum VirtualKey {
    /// What every key made here starts with, so one found in a log or a repository is
    /// recognisable (and secret scanners can be taught it).
    public static let prefix = "sk-sluice-"
    /// Random bytes in a key: 256 bits, as much as its SHA-256 hash can tell apart.
    public static let randomByteCount = 32

    /// A fresh key: ``prefix`` and 32 random bytes in unpadded base64url (43 characters).
    ///
    /// - Parameter generator: the source of randomness; `SystemRandomNumberGenerator` outside
    ///   tests, which reads the operating system's cryptographic generator.
    public static func generate(using generator: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(randomByteCount)
        for _ in 0..<randomByteCount { bytes.append(UInt8.random(in: .min ... .max, using: &generator)) }
        return prefix + base64URL(bytes)
    }

    /// The key in `input` (what `sluice key hash` reads from stdin): surrounding whitespace and
    /// newlines removed; nil when nothing is left or it is more than one word.
    public static func key(fromInput input: String) -> String? {
        var key = input[...]
        while let first = key.first, first.isWhitespace { key.removeFirst() }
        while let last = key.last, last.isWhitespace { key.removeLast() }
        guard !key.isEmpty, !key.contains(where: \.isWhitespace) else { return nil }
        return String(key)
    }

    /// Unpadded base64url (RFC 4648 §5): safe in headers, URLs and environment variables.
    static func base64URL(_ bytes: [UInt8]) -> String {
        var text = Data(bytes).base64EncodedString()
        while text.last == "=" { text.removeLast() }
        return String(text.map { $0 == "+" ? "-" : $0 == "/" ? "_" : $0 })
    }
}
