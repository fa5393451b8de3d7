import Yams

/// The `listen:` section.
extension PolicyDecoder {
    /// Decodes the listener addresses and checks that no two of them collide.
    mutating func decodeListen(_ field: PolicyField) -> ListenSettings? {
        guard
            let listen = fields(
                of: field.value, label: field.label, context: "listen", owner: field.keyPosition,
                allowed: ["app", "admin", "egress"]
            )
        else { return nil }

        let appField = require("app", in: listen)
        let app = appField.flatMap { hostPort($0) }

        // `admin: off` (or null) turns the admin listener off; absent means the default address.
        var admin: HostPort? = .defaultAdmin
        let adminField = listen["admin"]
        if let adminField {
            admin = adminField.value.isNull || adminField.value.isFalse ? nil : hostPort(adminField)
        }
        let egressField = listen["egress"]
        let egress = egressField.flatMap { hostPort($0) }

        guard let app, let appField else { return nil }
        if let admin, admin.collides(with: app) {
            if let adminField {
                reportCollision(adminField, admin, with: "'app'", app)
            } else {
                report(
                    "'app' (\(app)) collides with the default 'admin' address (\(admin)); "
                        + "move 'app' or set 'admin' to another address",
                    at: appField.value.position
                )
            }
        }
        if let egress, let egressField {
            if egress.collides(with: app) {
                reportCollision(egressField, egress, with: "'app'", app)
            } else if let admin, egress.collides(with: admin) {
                reportCollision(egressField, egress, with: "'admin'", admin)
            }
        }
        return ListenSettings(app: app, admin: admin, egress: egress)
    }

    private mutating func reportCollision(
        _ field: PolicyField, _ address: HostPort, with other: String, _ otherAddress: HostPort
    ) {
        report(
            "\(field.label) (\(address)) collides with \(other) (\(otherAddress)); give each listener its own port",
            at: field.value.position
        )
    }
}
