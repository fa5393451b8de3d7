import Yams

/// The `providers:` section.
extension PolicyDecoder {
    /// Decodes every provider.
    ///
    /// - Returns: the names under `providers:` (nil when the section itself is malformed, so
    ///   model targets are not checked against an empty list) and the providers that decoded.
    mutating func decodeProviders(_ field: PolicyField) -> (names: Set<String>?, configs: [String: ProviderConfig]) {
        guard let entries = entries(of: field.value, label: field.label) else { return (nil, [:]) }
        var configs: [String: ProviderConfig] = [:]
        for entry in entries {
            if !Self.isValidName(entry.key) {
                report(
                    "provider name \(entry.label) may contain only letters, digits, '-', '_' and '.'",
                    at: entry.keyPosition
                )
            }
            if let config = decodeProvider(entry) {
                configs[entry.key] = config
            }
        }
        return (Set(entries.map(\.key)), configs)
    }

    /// Provider names end up in response headers and metric labels, so they stay plain.
    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy { scalar in
                scalar.isASCII
                    && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
                        || scalar == "-" || scalar == "_" || scalar == ".")
            }
    }

    private mutating func decodeProvider(_ entry: PolicyField) -> ProviderConfig? {
        let name = entry.key
        let context = "provider '\(name)'"
        guard
            let provider = fields(
                of: entry.value, label: context, context: context, owner: entry.keyPosition,
                allowed: ["type", "base_url", "api_key", "timeouts", "tls", "max_connections", "breaker"]
            )
        else { return nil }

        let type: ProviderType? = require("type", in: provider).flatMap { typeField in
            choice(typeField) { "unknown provider type '\($0)' for provider '\(name)'" }
        }
        let baseURLField = provider["base_url"]
        let baseURL = baseURLField.flatMap { upstreamURL($0) }
        if let type, type.requiresBaseURL, baseURLField == nil {
            report("provider '\(name)' of type \(type.rawValue) needs a 'base_url'", at: entry.keyPosition)
        }
        let apiKey = provider["api_key"].flatMap { decodeAPIKey($0, provider: name) }
        let timeouts = provider["timeouts"].map { decodeTimeouts($0, provider: name) } ?? Timeouts()
        let tls = provider["tls"].map { decodeTLS($0, provider: name) } ?? TLSSettings()
        let maxConnections = provider["max_connections"].flatMap { integer($0, atLeast: 1) }
        let breaker = provider["breaker"].map { decodeBreaker($0, provider: name) } ?? BreakerPolicy()

        guard let type else { return nil }
        return ProviderConfig(
            name: name, type: type, baseURL: baseURL, apiKey: apiKey, timeouts: timeouts, tls: tls,
            maxConnections: maxConnections ?? ProviderConfig.defaultMaxConnections, breaker: breaker
        )
    }

    /// `breaker: { failures: 5, cooldown: 10s }`.
    private mutating func decodeBreaker(_ field: PolicyField, provider name: String) -> BreakerPolicy {
        var breaker = BreakerPolicy()
        let context = "breaker of provider '\(name)'"
        guard
            let given = fields(
                of: field.value, label: context, context: context, owner: field.keyPosition,
                allowed: ["failures", "cooldown"])
        else { return breaker }
        if let failures = given["failures"].flatMap({ integer($0, atLeast: 1) }) { breaker.failures = failures }
        if let cooldown = given["cooldown"].flatMap({ duration($0, allowZero: false) }) { breaker.cooldown = cooldown }
        return breaker
    }

    private mutating func decodeTimeouts(_ field: PolicyField, provider name: String) -> Timeouts {
        var timeouts = Timeouts()
        guard
            let given = fields(
                of: field.value, label: field.label, context: "timeouts of provider '\(name)'",
                owner: field.keyPosition, allowed: ["connect", "first_byte", "first_token", "idle", "total"]
            )
        else { return timeouts }
        // A zero timeout would fail every request, so each must be positive.
        if let connect = given["connect"].flatMap({ duration($0, allowZero: false) }) { timeouts.connect = connect }
        if let firstByte = given["first_byte"].flatMap({ duration($0, allowZero: false) }) {
            timeouts.firstByte = firstByte
        }
        if let idle = given["idle"].flatMap({ duration($0, allowZero: false) }) { timeouts.idle = idle }
        if let firstToken = given["first_token"].flatMap({ duration($0, allowZero: false) }) {
            timeouts.firstToken = firstToken
        }
        if let total = given["total"].flatMap({ duration($0, allowZero: false) }) { timeouts.total = total }
        return timeouts
    }

    private mutating func decodeTLS(_ field: PolicyField, provider name: String) -> TLSSettings {
        let context = "tls of provider '\(name)'"
        guard
            let tls = fields(
                of: field.value, label: field.label, context: context, owner: field.keyPosition, allowed: ["ca_file"]),
            let caField = tls["ca_file"], let path = string(caField)
        else { return TLSSettings() }
        let resolved = resolvePath(path)
        // Checked now so a wrong path fails `sluice validate`, not the first request.
        do {
            let contents = try environment.readFile(resolved)
            if !contents.contains("-----BEGIN CERTIFICATE-----") {
                report(
                    "ca_file \(resolved) of provider '\(name)' holds no PEM certificate "
                        + "(no -----BEGIN CERTIFICATE----- line)",
                    at: caField.value.position
                )
            }
        } catch {
            report("cannot read ca_file of provider '\(name)' at \(resolved): \(error)", at: caField.value.position)
        }
        return TLSSettings(caFile: resolved)
    }
}
