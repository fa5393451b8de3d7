/// The detectors Sluice ships, by the names the policy's `redact.detectors` uses.
public enum BuiltinDetector: String, Sendable, Hashable, CaseIterable {
    /// ``EntityType/email``.
    case email
    /// ``EntityType/phone``.
    case phone
    /// ``EntityType/creditCard``.
    case creditCard = "credit_card"
    /// ``EntityType/ssn``.
    case ssn
    /// ``EntityType/iban``.
    case iban
    /// ``EntityType/ipAddress``.
    case ipAddress = "ip_address"
    /// ``EntityType/secret``.
    case secret

    /// The type of the findings this detector reports.
    public var entityType: EntityType {
        switch self {
        case .email: .email
        case .phone: .phone
        case .creditCard: .creditCard
        case .ssn: .ssn
        case .iban: .iban
        case .ipAddress: .ipAddress
        case .secret: .secret
        }
    }
}
