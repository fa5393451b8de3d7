import Yams

/// Secret references (`api_key: { env: NAME }` or `{ file: PATH }`) and their resolution.
extension PolicyDecoder {
    /// Decodes a provider's `api_key` and resolves it into ``secrets``.
    ///
    /// No message here ever quotes a value: a key pasted where a reference belongs must not be
    /// echoed into a terminal or a CI log.
    mutating func decodeAPIKey(_ field: PolicyField, provider name: String) -> SecretRef? {
        let owner = "api_key of provider '\(name)'"
        guard case .mapping = field.value else {
            report(
                "'api_key' must be { env: NAME } or { file: PATH }; never write the key itself into the policy",
                at: field.value.position
            )
            return nil
        }
        guard
            let ref = fields(
                of: field.value, label: field.label, context: owner, owner: field.keyPosition, allowed: ["env", "file"])
        else { return nil }

        switch (ref["env"], ref["file"]) {
        case (nil, nil):
            report("'api_key' must name exactly one of 'env' or 'file', got neither", at: field.value.position)
            return nil
        case (.some, .some):
            report("'api_key' must name exactly one of 'env' or 'file', got both", at: field.value.position)
            return nil
        case (let envField?, nil):
            guard let variable = string(envField) else { return nil }
            guard Self.isEnvironmentName(variable) else {
                report(
                    "'env' must be an environment variable name (letters, digits and '_'), got \(quoted(variable))",
                    at: envField.value.position
                )
                return nil
            }
            resolveEnvironment(variable, provider: name, owner: owner, at: envField.value.position)
            return .env(variable)
        case (nil, let fileField?):
            guard let path = string(fileField) else { return nil }
            let resolved = resolvePath(path)
            resolveFile(resolved, provider: name, owner: owner, at: fileField.value.position)
            return .file(resolved)
        }
    }

    /// `NAME` as POSIX shells accept it.
    static func isEnvironmentName(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, !("0"..."9").contains(first) else { return false }
        return name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || scalar == "_")
        }
    }

    private mutating func resolveEnvironment(
        _ variable: String, provider: String, owner: String, at position: SourcePosition
    ) {
        guard let value = environment.variables[variable] else {
            report("environment variable \(variable) (\(owner)) is not set", at: position)
            return
        }
        guard !value.isEmpty else {
            report("environment variable \(variable) (\(owner)) is empty", at: position)
            return
        }
        secrets[provider] = SecretValue(value)
    }

    private mutating func resolveFile(_ path: String, provider: String, owner: String, at position: SourcePosition) {
        var value: String
        do {
            value = try environment.readFile(path)
        } catch {
            report("cannot read \(owner) from \(path): \(error)", at: position)
            return
        }
        // `kubectl create secret --from-file` and editors leave a trailing newline; no key ends in whitespace.
        while let last = value.last, last.isWhitespace { value.removeLast() }
        guard !value.isEmpty else {
            report("file \(path) (\(owner)) is empty", at: position)
            return
        }
        secrets[provider] = SecretValue(value)
    }
}
