#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// One recorded interaction from `../shared/fixtures/wire` (see its README). Tests read the files
/// in place; they are never copied into the repository.
struct WireFixture: Decodable, Sendable {
    struct Message: Decodable, Sendable {
        var method: String?
        var path: String?
        var status: Int?
        var headers: [String: String]
        var body: String
        var bodyEncoding: String?

        private enum CodingKeys: String, CodingKey {
            case method, path, status, headers, body
            case bodyEncoding = "body_encoding"
        }

        /// The wire bytes: the body string's UTF-8, or its base64 decoded.
        var bytes: [UInt8] {
            if bodyEncoding == "base64" { return Array(Data(base64Encoded: body) ?? Data()) }
            return Array(body.utf8)
        }
    }

    var provider: String
    var request: Message
    var response: Message

    /// The fixture folder: `<package root>/../shared/fixtures/wire`. The package root is found from
    /// this file's path with symlinks resolved, so a scratch package whose test folder is a
    /// symlink into the real checkout finds the same folder.
    static let directory: String = {
        var url = URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
        for _ in 0..<4 { url.deleteLastPathComponent() }  // file, Support, SluiceLLMTests, Tests
        return url.deletingLastPathComponent().appendingPathComponent("shared/fixtures/wire").path
    }()

    /// Every fixture file name, sorted.
    static let allNames: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted()
    }()

    /// Fixture names for which `predicate` holds of the loaded fixture.
    static func names(where predicate: (String, WireFixture) -> Bool) -> [String] {
        allNames.filter { predicate($0, load($0)) }
    }

    static func load(_ name: String) -> WireFixture {
        let path = directory + "/" + name
        guard let data = FileManager.default.contents(atPath: path) else {
            fatalError("missing fixture \(path): the tests expect ../shared beside the checkout")
        }
        do {
            return try JSONDecoder().decode(WireFixture.self, from: data)
        } catch {
            fatalError("unreadable fixture \(path): \(error)")
        }
    }

    /// Whether the response is a server-sent-event stream. Some recorders kept no headers, so the
    /// body's first line decides too.
    var isEventStream: Bool {
        if response.headers["content-type"]?.hasPrefix("text/event-stream") == true { return true }
        return response.body.hasPrefix("data:") || response.body.hasPrefix("event:")
    }

    /// Whether the response body is one JSON document.
    var isJSONResponse: Bool {
        response.bodyEncoding == nil && !isEventStream
    }

    /// Whether the provider speaks the OpenAI dialect (OpenAI or Azure OpenAI).
    var isOpenAIDialect: Bool {
        provider == "openai" || provider == "azure-openai"
    }
}
