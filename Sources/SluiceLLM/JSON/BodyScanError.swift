/// Why a body is not a JSON document Sluice accepts, and where.
///
/// `reason` is a short phrase without the position (`expected ',' or '}' after object member`);
/// `description` adds it (`... at byte 37`). ``SluiceError/invalidJSON(_:)`` turns one into the
/// 400 the caller sees.
public struct BodyScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Byte offset into the scanned input where the problem was found.
    public var offset: Int
    /// What is wrong, in words, without the position.
    public var reason: String

    /// Creates an error at `offset`.
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }

    /// The reason with its position, e.g. `expected ':' after object key at byte 12`.
    public var description: String {
        // An empty body has no position worth naming.
        if reason == Self.emptyBody { return reason }
        return "\(reason) at byte \(offset)"
    }

    static let emptyBody = "body is empty"
}
