import Yams

/// Secret references (`{ env: NAME }` or `{ file: PATH }`) and their resolution.
extension PolicyDecoder {
    /// Decodes a provider's `api_key` and resolves it into ``secrets``.
    mutating func decodeAPIKey(_ field: PolicyField, provider name: String) -> SecretRef? {
        guard let (ref, value) = decodeSecret(field, label: field.label, owner: "api_key of provider '\(name)'") else {
            return nil
        }
        if let value { secrets[name] = value }
        return ref
    }

    /// Decodes one secret reference and resolves it.
    ///
    /// No message here ever quotes a value: a key pasted where a reference belongs must not be
    /// echoed into a terminal or a CI log.
    ///
    /// - Parameters:
    ///   - label: names the reference at the start of a message: `'api_key'`.
    ///   - owner: names whose secret it is inside a message: `api_key of provider 'openai'`.
    /// - Returns: the reference, with its value when it resolved (a failure to resolve is
    ///   reported, and the reference still returned so the walk goes on); nil when the
    ///   reference itself is malformed.
    mutating func decodeSecret(
        _ field: PolicyField, label: String, owner: String
    ) -> (ref: SecretRef, value: SecretValue?)? {
        guard case .mapping = field.value else {
            report(
                "\(label) must be { env: NAME } or { file: PATH }; never write the key itself into the policy",
                at: field.value.position
            )
            return nil
        }
        guard
            let ref = fields(
                of: field.value, label: label, context: owner, owner: field.keyPosition, allowed: ["env", "file"])
        else { return nil }

        switch (ref["env"], ref["file"]) {
        case (nil, nil):
            report("\(label) must name exactly one of 'env' or 'file', got neither", at: field.value.position)
            return nil
        case (.some, .some):
            report("\(label) must name exactly one of 'env' or 'file', got both", at: field.value.position)
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
            return (.env(variable), resolveEnvironment(variable, owner: owner, at: envField.value.position))
        case (nil, let fileField?):
            guard let path = string(fileField) else { return nil }
            let resolved = resolvePath(path)
            return (.file(resolved), resolveFile(resolved, owner: owner, at: fileField.value.position))
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
        _ variable: String, owner: String, at position: SourcePosition
    ) -> SecretValue? {
        guard var value = environment.variables[variable] else {
            report("environment variable \(variable) (\(owner)) is not set", at: position)
            return nil
        }
        // A key stored with `echo` (not `echo -n`) in a Kubernetes secret ends in a newline; no key ends
        // in whitespace, so trailing whitespace is trimmed as for files.
        while let last = value.last, last.isWhitespace { value.removeLast() }
        guard !value.isEmpty else {
            report("environment variable \(variable) (\(owner)) is empty", at: position)
            return nil
        }
        guard !Self.hasControlCharacter(value) else {
            report(
                "environment variable \(variable) (\(owner)) contains a control character such as a line break; a secret must be one line",
                at: position)
            return nil
        }
        return SecretValue(value)
    }

    private mutating func resolveFile(_ path: String, owner: String, at position: SourcePosition) -> SecretValue? {
        var value: String
        do {
            value = try environment.readFile(path)
        } catch {
            report("cannot read \(owner) from \(path): \(error)", at: position)
            return nil
        }
        // `kubectl create secret --from-file` and editors leave a trailing newline; no key ends in whitespace.
        while let last = value.last, last.isWhitespace { value.removeLast() }
        guard !value.isEmpty else {
            report("file \(path) (\(owner)) is empty", at: position)
            return nil
        }
        guard !Self.hasControlCharacter(value) else {
            report(
                "file \(path) (\(owner)) contains a control character such as a line break inside the secret; a secret must be one line",
                at: position)
            return nil
        }
        return SecretValue(value)
    }

    /// Secrets go into HTTP headers, which Sluice's codecs do not re-check: a line break would
    /// split the header.
    static func hasControlCharacter(_ value: String) -> Bool {
        value.utf8.contains { $0 < 0x20 || $0 == 0x7F }
    }
}
