import Yams

/// The `server:` section.
extension PolicyDecoder {
    /// Decodes the server settings; anything not given keeps its default.
    mutating func decodeServer(_ field: PolicyField) -> ServerSettings {
        var settings = ServerSettings()
        guard
            let server = fields(
                of: field.value, label: field.label, context: "server", owner: field.keyPosition,
                allowed: ["max_body", "drain_timeout", "event_loop_threads", "release_startup_pages"]
            )
        else { return settings }

        if let maxBody = server["max_body"].flatMap({ byteSize($0) }) {
            settings.maxBodyBytes = maxBody
        }
        // Zero is meaningful here: stop at once without draining.
        if let drain = server["drain_timeout"].flatMap({ duration($0, allowZero: true) }) {
            settings.drainTimeout = drain
        }
        if let threadsField = server["event_loop_threads"] {
            // `auto` says explicitly what leaving the key out says: follow the CPU quota.
            if threadsField.value.text != "auto" {
                settings.eventLoopThreads = integer(threadsField, atLeast: 1)
            }
        }
        if let release = server["release_startup_pages"].flatMap({ boolean($0) }) {
            settings.releaseStartupPages = release
        }
        return settings
    }
}
