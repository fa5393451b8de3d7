import Testing

@testable import SluicePolicy

@Suite("Sizes in the policy")
struct ByteSizeTextTests {
    @Test(
        "parses decimal and binary units",
        arguments: [
            ("4MiB", 4 * 1024 * 1024),
            ("512KiB", 512 * 1024),
            ("1MB", 1_000_000),
            ("1000", 1000),
            ("1000B", 1000),
            ("0", 0),
            ("1kB", 1000),
            ("1KB", 1000),
            ("2GB", 2_000_000_000),
            ("1GiB", 1 << 30),
            ("64Mi", 64 << 20),
            ("1Ki", 1024),
            ("1.5KiB", 1536),
            ("0.5MB", 500_000),
        ]
    )
    func parses(text: String, bytes: Int) {
        #expect(parseByteSize(text) == bytes)
    }

    @Test(
        "rejects what is not a size",
        arguments: [
            "", "-1", "+1", "4 MiB", "4mib", "4MIB", "4 megs", "MiB", "1.5B", "1.0001KB", "1.", "4Mb", "4TiB", "1e3",
            "99999999999999999999", "9999999999GiB",
        ]
    )
    func rejects(text: String) {
        #expect(parseByteSize(text) == nil)
    }
}
