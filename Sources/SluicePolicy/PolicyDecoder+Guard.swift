import Yams

/// The `redact:` and `guard:` blocks of a workload.
///
/// The `workloads:` decoder calls ``decodeRedaction(_:workload:)`` and
/// ``decodeGuard(_:workload:)`` for those keys; every problem is reported at its line and
/// column, a custom regex that does not compile included.
extension PolicyDecoder {
    /// The keys `redact:` reads.
    static let redactionKeys = ["detectors", "custom", "action", "restore", "output"]
    /// The keys `guard:` reads.
    static let guardKeys = ["deny", "injection", "max_prompt_bytes"]

    /// Decodes a workload's `redact:` block; nil when it has a problem (reported).
    mutating func decodeRedaction(_ field: PolicyField, workload name: String) -> RedactionSettings? {
        let context = "'redact' of workload '\(name)'"
        let before = issues.count
        guard
            let given = fields(
                of: field.value, label: context, context: context, owner: field.keyPosition,
                allowed: Self.redactionKeys)
        else { return nil }
        var settings = RedactionSettings()
        if let detectors = given["detectors"] {
            settings.detectors = decodeDetectorNames(detectors, context: context)
        }
        if let custom = given["custom"] {
            settings.custom = decodeMatchRules(
                custom, context: context, reserved: Set(RedactionSettings.detectorNames))
        }
        if let action = given["action"] {
            settings.action = choice(action) { "unknown redaction action '\($0)' in \(context)" } ?? .mask
        }
        if let restore = given["restore"] { settings.restore = boolean(restore) ?? false }
        if let output = given["output"] { settings.output = boolean(output) ?? false }
        if let restore = given["restore"], settings.restore, settings.action != .mask {
            report(
                "'restore: true' in \(context) needs action: mask, since only masked values can be put back; "
                    + "remove 'restore' or set action: mask",
                at: restore.keyPosition)
        }
        return issues.count == before ? settings : nil
    }

    /// Decodes a workload's `guard:` block; nil when it has a problem (reported).
    mutating func decodeGuard(_ field: PolicyField, workload name: String) -> GuardSettings? {
        let context = "'guard' of workload '\(name)'"
        let before = issues.count
        guard
            let given = fields(
                of: field.value, label: context, context: context, owner: field.keyPosition,
                allowed: Self.guardKeys)
        else { return nil }
        var settings = GuardSettings()
        if let deny = given["deny"] {
            settings.deny = decodeMatchRules(deny, context: context, reserved: [])
        }
        if let injection = given["injection"] {
            settings.injection = choice(injection) { "unknown injection mode '\($0)' in \(context)" } ?? .off
        }
        if let maxBytes = given["max_prompt_bytes"] {
            settings.maxPromptBytes = byteSize(maxBytes)
        }
        return issues.count == before ? settings : nil
    }

    /// `detectors: [email, phone]`: known names, each once.
    private mutating func decodeDetectorNames(_ field: PolicyField, context: String) -> [String] {
        guard case .sequence(let items) = field.value else {
            report(
                "'detectors' in \(context) must be a list such as [email, phone], got \(field.value.kindDescription)",
                at: field.value.position)
            return []
        }
        var names: [String] = []
        for item in items {
            guard let name = item.text, RedactionSettings.detectorNames.contains(name) else {
                let shown = item.text.map { "'\($0)'" } ?? item.kindDescription
                report(
                    "unknown detector \(shown) in \(context); expected one of: "
                        + RedactionSettings.detectorNames.joined(separator: ", ")
                        + " (name your own patterns under 'custom')",
                    at: item.position)
                continue
            }
            guard !names.contains(name) else {
                report("detector '\(name)' is listed twice in \(context)", at: item.position)
                continue
            }
            names.append(name)
        }
        return names
    }
}
