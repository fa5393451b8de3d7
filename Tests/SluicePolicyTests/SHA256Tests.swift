import Testing

@testable import SluicePolicy

@Suite("SHA-256")
struct SHA256Tests {
    @Test(
        "matches the FIPS 180-4 and NIST test vectors",
        arguments: [
            ("", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"),
            ("abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"),
            (
                "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
                "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1"
            ),
            (
                "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
                "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1"
            ),
            (
                "The quick brown fox jumps over the lazy dog",
                "d7a8fbb307d7809469ca9abcb0082e4f8d5651e46d3cdb762d02d0bf37c9e592"
            ),
        ]
    )
    func vectors(input: String, digest: String) {
        #expect(SHA256.hex(of: input.utf8) == digest)
    }

    @Test("hashes a million 'a's, crossing many blocks")
    func millionA() {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(SHA256.hex(of: input) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test(
        "pads correctly at every length around a block boundary",
        arguments: [
            (55, "9f4390f8d30c2dd92ec9f095b65e2b9ae9b0a925a5258e241c9f1e910f734318"),
            (56, "b35439a4ac6f0948b6d6f9e3c6af0f5f590ce20f1bde7090ef7970686ec6738a"),
            (57, "f13b2d724659eb3bf47f2dd6af1accc87b81f09f59f2b75e5c0bed6589dfe8c6"),
            (63, "7d3e74a05d7db15bce4ad9ec0658ea98e3f06eeecf16b4c6fff2da457ddc2f34"),
            (64, "ffe054fe7ae0cb6dc65c3af9b61d5209f439851db43d0ba5997337df154668eb"),
            (65, "635361c48bb9eab14198e76ea8ab7f1a41685d6ad62aa9146d301d4f17eb0ae0"),
            (119, "31eba51c313a5c08226adf18d4a359cfdfd8d2e816b13f4af952f7ea6584dcfb"),
            (120, "2f3d335432c70b580af0e8e1b3674a7c020d683aa5f73aaaedfdc55af904c21c"),
        ]
    )
    func boundaries(length: Int, digest: String) {
        let input = [UInt8](repeating: UInt8(ascii: "a"), count: length)
        #expect(SHA256.hex(of: input) == digest)
        // Fed in two pieces, the pending-block bookkeeping must give the same digest.
        var split = SHA256()
        split.update(input.prefix(length / 3))
        split.update(input.dropFirst(length / 3))
        #expect(split.finalize().map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined() == digest)
    }

    @Test("hashes UTF-8 bytes, not characters")
    func utf8() {
        #expect(SHA256.hex(of: "héllo ✓".utf8) == "5657cdef8a85a584e0e961e6f8247cf5d3f8ed21496ed6fdbcfd43a761e94245")
    }

    @Test("a loaded policy carries the hash of its bytes")
    func loadedPolicyHash() throws {
        let loaded = try PolicyFixtures.load(PolicyFixtures.minimal)
        #expect(loaded.sha256 == SHA256.hex(of: PolicyFixtures.minimal.utf8))
        let changed = try PolicyFixtures.load(PolicyFixtures.minimal + "# a comment\n")
        #expect(changed.sha256 != loaded.sha256)
    }
}
