import Testing

@testable import SluicePolicy

@Suite("Constant-time comparison")
struct ConstantTimeTests {
    static let digest = SHA256.digest(of: "test-key".utf8)

    @Test("equal inputs are equal, including empty ones")
    func equal() {
        #expect(ConstantTime.isEqual(Self.digest, Self.digest))
        #expect(ConstantTime.isEqual(Array(Self.digest), SHA256.digest(of: "test-key".utf8)))
        #expect(ConstantTime.isEqual([], []))
    }

    @Test("a difference in any single byte, first to last, is found", arguments: 0..<32)
    func unequalAt(index: Int) {
        var other = Self.digest
        other[index] ^= 0x01
        #expect(!ConstantTime.isEqual(Self.digest, other))
        other[index] ^= 0x81  // now 0x80 away: a difference in the top bit only
        #expect(!ConstantTime.isEqual(Self.digest, other))
    }

    @Test("inputs of different lengths are unequal, even when one is a prefix of the other")
    func differentLengths() {
        #expect(!ConstantTime.isEqual(Self.digest, Array(Self.digest.prefix(31))))
        #expect(!ConstantTime.isEqual(Array(Self.digest.prefix(31)), Self.digest))
        #expect(!ConstantTime.isEqual(Self.digest, Self.digest + [0]))
        #expect(!ConstantTime.isEqual([], Self.digest))
        #expect(!ConstantTime.isEqual(Self.digest, []))
    }
}
