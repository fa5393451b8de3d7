import Testing

@testable import SluicePolicy

@Suite("Key hashes and virtual keys")
struct KeyHashTests {
    @Test("a key hashes to sha256: and the hex digest sha256sum prints")
    func hashOfKnownKey() {
        #expect(KeyHash(hashing: "test-key").description == WorkloadFixtures.hash1)
        #expect(KeyHash(hashing: "test-key").bytes.count == 32)
        #expect(KeyHash(hashing: "test-key"[...]) == KeyHash(hashing: "test-key"))
    }

    @Test("the policy form parses back to the same hash")
    func roundTrip() throws {
        let parsed = try #require(KeyHash(WorkloadFixtures.hash1))
        #expect(parsed == KeyHash(hashing: "test-key"))
        #expect(parsed.description == WorkloadFixtures.hash1)
        #expect(KeyHash(String(repeating: "0", count: 64).prefixed)?.bytes == [UInt8](repeating: 0, count: 32))
        #expect(KeyHash(String(repeating: "f", count: 64).prefixed)?.bytes == [UInt8](repeating: 255, count: 32))
    }

    @Test(
        "anything but sha256: and 64 lowercase hex digits is refused",
        arguments: [
            "", "sha256:", "62af8704764faf8ea82fc61ce9c4c3908b6cb97d463a634e9e587d7c885db0ef",
            "sha256:62AF8704764FAF8EA82FC61CE9C4C3908B6CB97D463A634E9E587D7C885DB0EF",
            "sha256:62af8704764faf8ea82fc61ce9c4c3908b6cb97d463a634e9e587d7c885db0e",
            "sha256:62af8704764faf8ea82fc61ce9c4c3908b6cb97d463a634e9e587d7c885db0ef0",
            " sha256:62af8704764faf8ea82fc61ce9c4c3908b6cb97d463a634e9e587d7c885db0ef",
            "sha1:62af8704764faf8ea82fc61ce9c4c3908b6cb97d",
        ]
    )
    func malformed(text: String) {
        #expect(KeyHash(text) == nil)
    }

    @Test("a new key is sk-sluice- and 43 base64url characters (32 random bytes)")
    func newKeyFormat() {
        var generator = SplitMix64(seed: 42)
        let key = VirtualKey.generate(using: &generator)
        #expect(key.hasPrefix("sk-sluice-"))
        let body = key.dropFirst("sk-sluice-".count)
        #expect(body.count == 43)
        let alphabet = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        #expect(body.allSatisfy(alphabet.contains))
        // The same seed gives the same key; the next draw a different one.
        var again = SplitMix64(seed: 42)
        #expect(VirtualKey.generate(using: &again) == key)
        #expect(VirtualKey.generate(using: &again) != key)
    }

    @Test("keys from the system generator differ")
    func systemKeysDiffer() {
        var generator = SystemRandomNumberGenerator()
        let keys = Set((0..<32).map { _ in VirtualKey.generate(using: &generator) })
        #expect(keys.count == 32)
    }

    @Test(
        "base64url matches RFC 4648 section 5, unpadded",
        arguments: [
            ([UInt8](), ""), ([0x66], "Zg"), ([0x66, 0x6f], "Zm8"), ([0x66, 0x6f, 0x6f], "Zm9v"),
            ([0xfb, 0xff, 0xbf], "-_-_"), (Array(0..<32), "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8"),
        ]
    )
    func base64URL(bytes: [UInt8], expected: String) {
        #expect(VirtualKey.base64URL(bytes) == expected)
    }

    @Test("the key read from stdin is trimmed; nothing, or two words, is refused")
    func keyFromInput() {
        #expect(VirtualKey.key(fromInput: "test-key\n") == "test-key")
        #expect(VirtualKey.key(fromInput: "  test-key \r\n\n") == "test-key")
        #expect(VirtualKey.key(fromInput: "") == nil)
        #expect(VirtualKey.key(fromInput: " \n") == nil)
        #expect(VirtualKey.key(fromInput: "one\ntwo\n") == nil)
        #expect(VirtualKey.key(fromInput: "Bearer test-key") == nil)
    }
}

extension String {
    /// `sha256:` in front of the text.
    fileprivate var prefixed: String { "sha256:" + self }
}

/// A seeded generator, so a test can check the format of a generated key and repeat it.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
    }

    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
