import Testing
import Yams

@testable import SluiceKube

@Suite("KubeValue between YAML and JSON")
struct KubeValueTests {
    @Test("YAML scalars read as the types Kubernetes reads them as")
    func yamlTypes() throws {
        let node = try #require(try Yams.compose(yaml: "a: 1\nb: true\nc: \"1\"\nd: 1.5\ne: null\nf: text\ng: ''\n"))
        #expect(KubeValue(node) == .object(["a": .int(1), "b": .bool(true), "c": "1", "d": .double(1.5), "e": .null, "f": "text", "g": ""]))
    }

    @Test("a value survives YAML emission and re-reading", arguments: ["true", "false", "8080", "", "null", "~", "1.5", "yes", "on", "0o17", "plain", "a: b", "- x", "#no", "multi\nline\n"])
    func yamlRoundTrip(text: String) throws {
        let value: KubeValue = .object(["k": .string(text), "n": .int(3), "b": .bool(false)])
        let emitted = try Yams.serialize(node: value.node)
        #expect(KubeValue(try #require(try Yams.compose(yaml: emitted))) == value)
    }

    @Test("JSON keeps bools, ints, doubles and strings apart")
    func json() throws {
        let value = try KubeValue.parseJSON(Array(#"{"a":true,"b":1,"c":1.5,"d":"1","e":null,"f":[{}]}"#.utf8))
        #expect(value.canonical == KubeValue.object(["a": .bool(true), "b": .int(1), "c": .double(1.5), "d": "1", "e": .null, "f": .array([.object([])])]).canonical)
        #expect(try KubeValue.parseJSON(try value.jsonBytes()) .canonical == value.canonical)
    }

    @Test("encoded JSON does not escape / (JSON pointers and image names stay readable)")
    func jsonSlashes() throws {
        let value: KubeValue = .object(["path": "/spec/initContainers/0", "image": "ghcr.io/a/b:1"])
        let text = String(decoding: try value.jsonBytes(), as: UTF8.self)
        #expect(text.contains(#""/spec/initContainers/0""#) && text.contains(#""ghcr.io/a/b:1""#))
        #expect(try KubeValue.parseJSON(Array(text.utf8)).canonical == value.canonical)
    }
}
