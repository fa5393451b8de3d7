#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// A recorded interaction from `../shared/fixtures/wire`, read in place (never copied).
struct WireFixture: Decodable {
    struct Message: Decodable {
        var body: String
    }

    var response: Message

    /// The response body's bytes.
    var responseBody: [UInt8] { Array(response.body.utf8) }

    /// The fixture folder, found from this file's real path (the test folder may be a symlink).
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<4 { url.deleteLastPathComponent() }  // file, Support, SluiceGuardTests, Tests
        return url.deletingLastPathComponent().appendingPathComponent("shared/fixtures/wire").path
    }()

    static func load(_ name: String) throws -> WireFixture {
        let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
        return try JSONDecoder().decode(WireFixture.self, from: data)
    }
}
