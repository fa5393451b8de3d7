import Testing

@testable import SluicePolicy

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The real file reader behind `PolicyEnvironment.process`, on a scratch folder.
@Suite("Reading files from disk")
struct TextFileReaderTests {
    /// A fresh folder under the system's temporary folder, removed after `body`.
    private func withScratchFolder(_ body: (String) throws -> Void) throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-policy-\(UInt64.random(in: 0...UInt64.max))")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try body(folder.path)
    }

    @Test("reads UTF-8 text whole")
    func readsText() throws {
        try withScratchFolder { folder in
            let path = folder + "/key"
            try Data("sk-é✓\n".utf8).write(to: URL(fileURLWithPath: path))
            #expect(try TextFileReader.read(path: path) == "sk-é✓\n")
        }
    }

    @Test("reads a file larger than one read buffer")
    func readsLargeFile() throws {
        try withScratchFolder { folder in
            let path = folder + "/big"
            let text = String(repeating: "0123456789abcdef", count: 20_000)
            try Data(text.utf8).write(to: URL(fileURLWithPath: path))
            #expect(try TextFileReader.read(path: path) == text)
        }
    }

    @Test("failures read as the system's own words")
    func failures() throws {
        try withScratchFolder { folder in
            #expect(throws: TextFileReader.Failure(reason: "No such file or directory")) {
                try TextFileReader.read(path: folder + "/absent")
            }
            #expect(throws: TextFileReader.Failure(reason: "Is a directory")) {
                try TextFileReader.read(path: folder)
            }
            let binary = folder + "/binary"
            try Data([0xFF, 0xFE, 0x00, 0xC3]).write(to: URL(fileURLWithPath: binary))
            #expect(throws: TextFileReader.Failure(reason: "the file is not UTF-8 text")) {
                try TextFileReader.read(path: binary)
            }
        }
    }

    @Test("a policy on disk loads, secrets read from files beside it")
    func loadFromDisk() throws {
        try withScratchFolder { folder in
            try Data("sk-from-disk\n".utf8).write(to: URL(fileURLWithPath: folder + "/openai.key"))
            let yaml =
                PolicyFixtures.minimal + "providers:\n  openai: { type: openai, api_key: { file: openai.key } }\n"
            try Data(yaml.utf8).write(to: URL(fileURLWithPath: folder + "/policy.yaml"))
            let loaded = try PolicyLoader.load(path: folder + "/policy.yaml")
            #expect(loaded.secrets["openai"]?.value == "sk-from-disk")
            #expect(loaded.policy.providers["openai"]?.apiKey == .file(folder + "/openai.key"))
        }
    }

    @Test("the process environment carries the real variables")
    func processVariables() {
        #expect(PolicyEnvironment.process.variables["PATH"] != nil)
    }

    @Test("the in-memory environment serves its files and fails on others")
    func inMemory() throws {
        let environment = PolicyEnvironment.inMemory(variables: ["A": "1"], files: ["/x": "y"])
        #expect(environment.variables == ["A": "1"])
        #expect(try environment.readFile("/x") == "y")
        #expect(throws: TextFileReader.Failure(reason: "No such file or directory")) { try environment.readFile("/z") }
    }
}
