#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The golden files under `Corpus/` (excluded from the target's sources; read from disk next to
/// this file, so no resource bundle is needed).
enum Corpus {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()
        .deletingLastPathComponent()
        .appendingPathComponent("Corpus")

    /// The settings the golden outputs were made with (`sluice inject --image …:golden`).
    static let image = "ghcr.io/sluice-gateway/sluice:golden"

    /// Every input manifest (`Corpus/manifests/NAME.yaml` with a `NAME.expected.yaml` beside it).
    static let manifestNames: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("manifests").path)) ?? []
        return files.filter { $0.hasSuffix(".yaml") && !$0.hasSuffix(".expected.yaml") }
            .map { String($0.dropLast(".yaml".count)) }
            .sorted()
    }()

    /// Inputs that must come back byte for byte (not workloads, opted out, already injected).
    static let unchangedNames: Set<String> = [
        "non-workloads", "pod-opted-out", "deployment-opted-out", "pod-host-network", "already-injected",
    ]

    /// Every AdmissionReview under `Corpus/admission`.
    static let reviewNames: [String] = {
        let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.appendingPathComponent("admission").path)) ?? []
        return files.filter { $0.hasSuffix(".json") }.map { String($0.dropLast(".json".count)) }.sorted()
    }()

    static func text(_ relativePath: String) throws -> String {
        String(decoding: try Data(contentsOf: directory.appendingPathComponent(relativePath)), as: UTF8.self)
    }

    static func bytes(_ relativePath: String) throws -> [UInt8] {
        Array(try Data(contentsOf: directory.appendingPathComponent(relativePath)))
    }
}
