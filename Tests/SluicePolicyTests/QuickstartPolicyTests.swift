import Testing

@testable import SluicePolicy

#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

@Suite("Quickstart policy")
struct QuickstartPolicyTests {
    /// `examples/quickstart/policy.yaml`, found from this file: Tests/SluicePolicyTests/ is two
    /// levels below the package root.
    static let examplePath: String = {
        var components = "\(#filePath)".split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)
        return (components + ["examples", "quickstart", "policy.yaml"]).joined(separator: "/")
    }()

    @Test("the embedded text and the example file are identical")
    func identical() throws {
        let file = try PolicyEnvironment.process.readFile(Self.examplePath)
        #expect(file == QuickstartPolicy.yaml)
    }

    @Test("the quickstart policy loads with a mock provider and the documented models")
    func loads() throws {
        let loaded = try PolicyLoader.load(yaml: QuickstartPolicy.yaml, file: "quickstart", environment: .inMemory())
        let policy = loaded.policy
        #expect(policy.listen.app == HostPort(host: "127.0.0.1", port: 4000))
        #expect(policy.listen.admin == HostPort(host: "127.0.0.1", port: 9901))
        #expect(policy.providers == ["demo": ProviderConfig(name: "demo", type: .mock)])
        for model in ["gpt-4o-mini", "gpt-4o", "text-embedding-3-small"] {
            #expect(policy.models[model]?.targets == [RouteTarget(provider: "demo")])
        }
        #expect(loaded.secrets.isEmpty)
    }

    @Test("the example file loads from disk with the real environment")
    func loadsFromDisk() throws {
        let loaded = try PolicyLoader.load(path: Self.examplePath)
        #expect(loaded.sha256 == SHA256.hex(of: QuickstartPolicy.yaml.utf8))
    }
}
