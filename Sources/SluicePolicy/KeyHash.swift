/// The SHA-256 of a virtual key, written `sha256:<64 lowercase hex digits>` in a workload's `keys`.
///
/// The policy holds only hashes, so a policy file (a ConfigMap anyone in the namespace may read)
/// gives away no key. ``description`` is the policy form, which `sluice key hash` prints.
///
/// `==` is an ordinary comparison, for loading and diffing policies; a request's key is matched
/// by ``WorkloadResolver`` in constant time.
public struct KeyHash: Sendable, Hashable, Encodable, CustomStringConvertible {
    /// The 32 digest bytes.
    public let bytes: [UInt8]

    /// What a key hash starts with in the policy.
    public static let prefix = "sha256:"

    /// The hash of `key`'s UTF-8 bytes: what a caller's key is compared by.
    public init(hashing key: some StringProtocol) {
        bytes = SHA256.digest(of: key.utf8)
    }

    /// Parses the policy form; nil when `text` is not `sha256:` and 64 lowercase hex digits.
    public init?(_ text: String) {
        guard case .success(let parsed) = Self.parse(text) else { return nil }
        self = parsed
    }

    private init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// `sha256:` and the digest in lowercase hex.
    public var description: String {
        Self.prefix + bytes.map { byte in (byte < 16 ? "0" : "") + String(byte, radix: 16) }.joined()
    }

    /// Encodes as the policy form: hashes are safe to show in `/config`.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}

extension KeyHash {
    /// Why a text is not a key hash; the phrase goes into the user's error message and never
    /// quotes the text, which may be a key pasted where its hash belongs.
    enum ParseFailure: Error, Hashable {
        /// No `sha256:` in front: most likely the key itself.
        case missingPrefix
        /// The number of characters after `sha256:` is not 64.
        case wrongLength(Int)
        /// A character other than 0-9 and a-f after `sha256:`.
        case notLowercaseHex

        var reason: String {
            switch self {
            case .missingPrefix: "it does not start with sha256:"
            case .wrongLength(let count): "it has \(count) characters after sha256:, not 64"
            case .notLowercaseHex: "only the digits 0-9 and lowercase a-f may follow sha256:"
            }
        }
    }

    /// Parses `sha256:<64 lowercase hex digits>`.
    static func parse(_ text: String) -> Result<KeyHash, ParseFailure> {
        guard text.hasPrefix(prefix) else { return .failure(.missingPrefix) }
        let count = text.count - prefix.count
        guard count == 64 else { return .failure(.wrongLength(count)) }
        let digits = Array(text.utf8.dropFirst(prefix.utf8.count))
        guard digits.count == 64 else { return .failure(.notLowercaseHex) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        for index in stride(from: 0, to: 64, by: 2) {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else {
                return .failure(.notLowercaseHex)
            }
            bytes.append(high << 4 | low)
        }
        return .success(KeyHash(bytes: bytes))
    }

    private static func hexValue(_ digit: UInt8) -> UInt8? {
        switch digit {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): digit - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): digit - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
