/// The kind of a finding: a built-in detector (`email`, `credit_card`...) or a custom rule of the
/// policy (`employee_id`). Its ``label`` names the placeholders that mask it: `[EMAIL_1]`.
public struct EntityType: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The name as the policy spells it: `email`, `ip_address`, `employee_id`.
    public let name: String
    /// The placeholder label: the name upper-cased, anything but letters and digits as `_`.
    public let label: String

    /// A type named `name`.
    public init(_ name: String) {
        self.name = name
        var label = ""
        for scalar in name.unicodeScalars {
            if scalar.isASCII, let byte = UInt8(exactly: scalar.value), ASCII.isAlnum(byte) {
                label.unicodeScalars.append(Unicode.Scalar(ASCII.isLower(byte) ? byte - 0x20 : byte))
            } else {
                label.append("_")
            }
        }
        self.label = label.isEmpty ? "CUSTOM" : label
    }

    /// An e-mail address.
    public static let email = EntityType("email")
    /// A telephone number in international (`+44 20 7946 0958`) or North American form.
    public static let phone = EntityType("phone")
    /// A payment card number that passes the Luhn check.
    public static let creditCard = EntityType("credit_card")
    /// A US social security number outside the never-issued ranges.
    public static let ssn = EntityType("ssn")
    /// An international bank account number with a valid mod-97 check.
    public static let iban = EntityType("iban")
    /// An IPv4 or IPv6 address.
    public static let ipAddress = EntityType("ip_address")
    /// A credential: provider and cloud keys, GitHub and Slack tokens, JWTs, PEM private keys.
    public static let secret = EntityType("secret")

    /// Ordered by name, so counts print in a stable order.
    public static func < (lhs: EntityType, rhs: EntityType) -> Bool { lhs.name < rhs.name }

    /// The name.
    public var description: String { name }
}
