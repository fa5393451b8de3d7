import Yams

/// Walks the composed YAML of a policy file, checks every section and builds a ``Policy``.
///
/// Its duties, in order:
/// 1. Check the document is a mapping with a supported `version`.
/// 2. Decode each section, reporting unknown keys, wrong types and bad values at the
///    offending key or value, and carrying on so that one run reports every problem.
/// 3. Resolve secrets and check referenced files through the injected ``PolicyEnvironment``.
/// 4. Check what spans sections: listener addresses, model targets naming providers, workloads
///    naming providers and models, a virtual key hash claimed by two workloads.
///
/// A section that fails is replaced by its defaults so the walk can go on; the policy is only
/// returned when no issue was found, so a placeholder never escapes.
struct PolicyDecoder {
    /// The file name put in every issue.
    let file: String
    /// Where secrets and referenced files are read.
    let environment: PolicyEnvironment
    /// The folder relative paths in the policy are resolved against: the policy file's own.
    let baseDirectory: String
    /// Every problem found so far.
    private(set) var issues: [PolicyIssue] = []
    /// Resolved provider keys by provider name.
    var secrets: [String: SecretValue] = [:]
    /// Resolved `provider_keys` overrides by workload name, then provider name.
    var workloadSecrets: [String: [String: SecretValue]] = [:]
    /// The resolved `limits_store` URL.
    var limitsStoreURL: SecretValue?

    /// The top-level sections this version reads, in the order messages list them.
    static let sections = ["version", "listen", "server", "providers", "models", "workloads", "limits_store", "prices"]
    /// How messages name the top level of the file: `unknown key 'x' in policy`.
    static let rootContext = "policy"
    /// Sections of the design that this version does not implement yet; refused by name, not
    /// as unknown, so the user learns why.
    static let unsupportedSections: [String] = []

    init(file: String, environment: PolicyEnvironment) {
        self.file = file
        self.environment = environment
        if let slash = file.lastIndex(of: "/") {
            let folder = String(file[..<slash])
            baseDirectory = folder.isEmpty ? "/" : folder
        } else {
            baseDirectory = ""
        }
    }

    /// Records a problem.
    mutating func report(_ message: String, at position: SourcePosition) {
        issues.append(PolicyIssue(file: file, line: position.line, column: position.column, message: message))
    }

    /// The issues in file order; issues at the same place keep the order they were found in.
    var sortedIssues: [PolicyIssue] {
        issues.enumerated().sorted { lhs, rhs in
            let left = (lhs.element.line, lhs.element.column, lhs.offset)
            let right = (rhs.element.line, rhs.element.column, rhs.offset)
            return left < right
        }.map(\.element)
    }

    /// A path from the policy, made absolute against the policy file's folder when relative.
    func resolvePath(_ path: String) -> String {
        if path.hasPrefix("/") || baseDirectory.isEmpty { return path }
        return baseDirectory == "/" ? "/" + path : baseDirectory + "/" + path
    }

    /// Decodes the whole policy; nil when any issue was found.
    mutating func decode(_ root: Node?) -> Policy? {
        guard let root else {
            report(
                "the policy file is empty; it needs at least 'version: 1' and 'listen: { app: HOST:PORT }'",
                at: .start
            )
            return nil
        }
        guard case .mapping(let rootMapping) = root else {
            report(
                "the policy must be a mapping of sections (\(Self.sections.joined(separator: ", "))), "
                    + "got \(root.kindDescription)",
                at: root.position
            )
            return nil
        }
        // A newer format may mean something else by every other key, so a wrong version is the
        // one thing reported rather than being buried under follow-on errors.
        if let (key, value) = rootMapping.first(where: { $0.key.text == "version" }),
            decodeVersion(PolicyField(key: "version", keyPosition: key.position, value: value)) == nil
        {
            return nil
        }
        guard
            let top = fields(
                of: root, label: "the policy", context: Self.rootContext, owner: root.position,
                allowed: Self.sections, unsupported: Self.unsupportedSections
            )
        else { return nil }
        let version = require("version", in: top).map { _ in Policy.supportedVersion }

        let listen = require("listen", in: top).flatMap { decodeListen($0) }
        let server = top["server"].map { decodeServer($0) } ?? ServerSettings()
        let providers = top["providers"].map { decodeProviders($0) } ?? (names: [], configs: [:])
        let models = top["models"].map { decodeModels($0, knownProviders: providers.names) } ?? (names: [], routes: [:])
        let workloads =
            top["workloads"].map {
                decodeWorkloads($0, knownProviders: providers.names, knownModels: models.names)
            } ?? [:]
        let limitsStore = top["limits_store"].flatMap { decodeLimitsStore($0) }
        let prices = top["prices"].map { decodePrices($0, knownProviders: providers.names) } ?? [:]

        guard issues.isEmpty, let version, let listen else { return nil }
        return Policy(
            version: version, listen: listen, server: server, providers: providers.configs, models: models.routes,
            workloads: workloads, limitsStore: limitsStore, prices: prices
        )
    }

    private mutating func decodeVersion(_ field: PolicyField) -> Int? {
        guard let version = integer(field) else { return nil }
        guard version == Policy.supportedVersion else {
            report(
                "unsupported policy version \(version); "
                    + "this version of Sluice reads version \(Policy.supportedVersion)",
                at: field.value.position
            )
            return nil
        }
        return version
    }
}
