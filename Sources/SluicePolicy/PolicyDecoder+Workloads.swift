import Yams

/// The `workloads:` section: who may call, with which keys, and which models.
extension PolicyDecoder {
    /// The keys a workload reads, in the order messages list them.
    static let workloadKeys = [
        "keys", "require_key", "credentials", "provider_keys", "models", "redact", "guard", "limits",
    ]
    /// Keys of a workload in the design that this version does not serve yet; refused by name so
    /// that a policy written for a later version fails loudly rather than running unguarded.
    static let unsupportedWorkloadKeys: [String] = []
    /// The policy form of a key hash, for messages.
    private static let keyHashForm = "sha256:<64 lowercase hex digits>"

    /// Decodes every workload and checks that no key hash belongs to two of them.
    ///
    /// - Parameters:
    ///   - knownProviders: the names under `providers:`, which `provider_keys` must name; nil
    ///     skips that check because the providers section itself is broken.
    ///   - knownModels: the names under `models:`, which allow-lists must name; nil skips that
    ///     check because the models section itself is broken.
    mutating func decodeWorkloads(
        _ field: PolicyField, knownProviders: Set<String>?, knownModels: Set<String>?
    ) -> [String: WorkloadConfig] {
        guard let entries = entries(of: field.value, label: field.label) else { return [:] }
        var workloads: [String: WorkloadConfig] = [:]
        // The first claim on each hash, to report the second at its own line.
        var claims: [KeyHash: (workload: String, position: SourcePosition)] = [:]
        for entry in entries {
            if !Self.isValidName(entry.key) {
                report(
                    "workload name \(entry.label) may contain only letters, digits, '-', '_' and '.'",
                    at: entry.keyPosition
                )
            }
            guard
                let workload = decodeWorkload(
                    entry, knownProviders: knownProviders, knownModels: knownModels, claims: &claims)
            else { continue }
            workloads[entry.key] = workload
        }
        return workloads
    }

    private mutating func decodeWorkload(
        _ entry: PolicyField, knownProviders: Set<String>?, knownModels: Set<String>?,
        claims: inout [KeyHash: (workload: String, position: SourcePosition)]
    ) -> WorkloadConfig? {
        let name = entry.key
        let context = "workload '\(name)'"
        guard
            let workload = fields(
                of: entry.value, label: context, context: context, owner: entry.keyPosition,
                allowed: Self.workloadKeys, unsupported: Self.unsupportedWorkloadKeys
            )
        else { return nil }

        let keysField = workload["keys"]
        let issuesBeforeKeys = issues.count
        let keyHashes = keysField.map { decodeKeyHashes($0, workload: name, claims: &claims) } ?? []
        let keysValid = issues.count == issuesBeforeKeys
        let requireKeyField = workload["require_key"]
        let requireKey = requireKeyField.flatMap { boolean($0) } ?? false
        var credentials: CredentialMode? = .inject
        if let credentialsField = workload["credentials"] {
            credentials = choice(credentialsField) { "unknown credentials mode '\($0)' for workload '\(name)'" }
        }
        let providerKeysField = workload["provider_keys"]
        let providerKeys =
            providerKeysField.map { decodeProviderKeys($0, workload: name, knownProviders: knownProviders) } ?? [:]
        var allowedModels: ModelAllowList? = .all
        if let modelsField = workload["models"] {
            allowedModels = decodeAllowList(modelsField, workload: name, knownModels: knownModels)
        }

        // Passthrough forwards what the caller sent in Authorization / x-api-key: that is the
        // caller's provider key, so it cannot also be a virtual key, and no override applies.
        if credentials == .passthrough {
            if let keysField, !keyHashes.isEmpty {
                report(
                    "workload '\(name)' has 'keys' but credentials: passthrough, whose callers send their own "
                        + "provider key in Authorization or x-api-key; remove 'keys' or use credentials: inject",
                    at: keysField.keyPosition
                )
            }
            if let providerKeysField {
                report(
                    "workload '\(name)' has 'provider_keys' but credentials: passthrough, which forwards the "
                        + "caller's own key; remove 'provider_keys' or use credentials: inject",
                    at: providerKeysField.keyPosition
                )
            }
        } else if requireKey, keyHashes.isEmpty, keysValid, let requireKeyField {
            report(
                "workload '\(name)' has require_key: true but no 'keys', so no caller can reach it; "
                    + "add keys or set require_key: false",
                at: requireKeyField.value.position
            )
        }

        let redaction = workload["redact"].flatMap { decodeRedaction($0, workload: name) }
        let promptGuard = workload["guard"].flatMap { decodeGuard($0, workload: name) }
        let limits = workload["limits"].flatMap { decodeLimits($0, workload: name, knownModels: knownModels) }
        guard let credentials, let allowedModels else { return nil }
        return WorkloadConfig(
            name: name, keyHashes: keyHashes, requireKey: requireKey, credentials: credentials,
            allowedModels: allowedModels, providerKeys: providerKeys.mapValues(\.ref),
            redaction: redaction, promptGuard: promptGuard, limits: limits
        )
    }

    /// `keys:`, a list of `sha256:` hashes, each claimed by one workload only.
    private mutating func decodeKeyHashes(
        _ field: PolicyField, workload name: String,
        claims: inout [KeyHash: (workload: String, position: SourcePosition)]
    ) -> [KeyHash] {
        // Commenting out every key leaves none, which only narrows who may call.
        if field.value.isNull { return [] }
        guard case .sequence(let items) = field.value else {
            // Never the node's text: it may be a key written where its hash belongs.
            var got = field.value.kindDescription
            if case .scalar = field.value { got = "a single value" }
            report(
                "'keys' of workload '\(name)' must be a list such as [ \"\(Self.keyHashForm)\" ], got \(got)",
                at: field.value.position
            )
            return []
        }
        var hashes: [KeyHash] = []
        // Each hash's 1-based place in this list, to name the first of a repeated pair.
        var places: [KeyHash: Int] = [:]
        for (index, item) in items.enumerated() {
            let label = "key \(index + 1) of workload '\(name)'"
            guard let text = item.text else {
                report("\(label) must be a string \(Self.keyHashForm), got \(item.kindDescription)", at: item.position)
                continue
            }
            let hash: KeyHash
            switch KeyHash.parse(text) {
            case .success(let parsed):
                hash = parsed
            case .failure(let failure):
                report(
                    "\(label) is not a key hash (\(failure.reason)); write \(Self.keyHashForm) "
                        + "as 'sluice key hash' prints it, never the key itself",
                    at: item.position
                )
                continue
            }
            if let first = places[hash] {
                report("\(label) repeats key \(first)", at: item.position)
                continue
            }
            places[hash] = index + 1
            if let claim = claims[hash] {
                report(
                    "\(label) is already a key of workload '\(claim.workload)' "
                        + "(line \(claim.position.line), column \(claim.position.column)); a key must identify one workload",
                    at: item.position
                )
                continue
            }
            claims[hash] = (name, item.position)
            hashes.append(hash)
        }
        return hashes
    }

    /// `provider_keys:`, provider name to a secret reference, resolved into ``workloadSecrets``.
    private mutating func decodeProviderKeys(
        _ field: PolicyField, workload name: String, knownProviders: Set<String>?
    ) -> [String: (ref: SecretRef, value: SecretValue?)] {
        if case .scalar = field.value, !field.value.isNull {
            report(
                "'provider_keys' of workload '\(name)' must be a mapping such as { openai: { env: NAME } }; "
                    + "never write a key itself into the policy",
                at: field.value.position
            )
            return [:]
        }
        guard let entries = entries(of: field.value, label: "'provider_keys' of workload '\(name)'") else { return [:] }
        var keys: [String: (ref: SecretRef, value: SecretValue?)] = [:]
        for entry in entries {
            if let known = knownProviders, !known.contains(entry.key) {
                let defined = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
                report(
                    "provider_keys of workload '\(name)' names unknown provider \(entry.label); "
                        + "defined providers: \(defined)",
                    at: entry.keyPosition
                )
            }
            let owner = "key for provider \(entry.label) in workload '\(name)'"
            guard let secret = decodeSecret(entry, label: "the " + owner, owner: owner) else { continue }
            keys[entry.key] = secret
            if let value = secret.value { workloadSecrets[name, default: [:]][entry.key] = value }
        }
        return keys
    }

    /// `models:`, the allow-list: model names under `models:`, or `"*"` alone for all.
    private mutating func decodeAllowList(
        _ field: PolicyField, workload name: String, knownModels: Set<String>?
    ) -> ModelAllowList? {
        let label = "'models' of workload '\(name)'"
        let empty = "\(label) is empty, so the workload may use no model; list model names, or \"*\" for all"
        if field.value.isNull {
            report(empty, at: field.keyPosition)
            return nil
        }
        if field.value.text == "*" { return .all }
        guard case .sequence(let items) = field.value else {
            report(
                "\(label) must be a list of model names or \"*\", got \(field.value.kindDescription)",
                at: field.value.position
            )
            return nil
        }
        guard !items.isEmpty else {
            report(empty, at: field.value.position)
            return nil
        }
        var names: Set<String> = []
        var wildcard: Node?
        var complete = true
        for (index, item) in items.enumerated() {
            let itemLabel = "model \(index + 1) of workload '\(name)'"
            guard let model = item.text, !model.isEmpty else {
                let got = item.text == nil ? item.kindDescription : "an empty string"
                report("\(itemLabel) must be a model name, got \(got)", at: item.position)
                complete = false
                continue
            }
            if model == "*" {
                wildcard = item
                continue
            }
            guard names.insert(model).inserted else {
                report("workload '\(name)' lists model '\(model)' twice", at: item.position)
                continue
            }
            if let known = knownModels, !known.contains(model) {
                let defined = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
                report(
                    "workload '\(name)' allows unknown model '\(model)'; defined models: \(defined)", at: item.position)
                complete = false
            }
        }
        if let wildcard {
            guard names.isEmpty else {
                report(
                    "workload '\(name)' lists \"*\", which allows every model, together with model names; "
                        + "keep either \"*\" or the names",
                    at: wildcard.position
                )
                return nil
            }
            return .all
        }
        return complete ? .only(names) : nil
    }
}
