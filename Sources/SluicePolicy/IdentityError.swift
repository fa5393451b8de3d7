/// Why a request's caller could not be identified; every case answers 401.
///
/// A struct wrapping a code, so cases can be added without breaking callers. The message names
/// the header and what to do, and never contains the key the caller sent.
public struct IdentityError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Wrapped: String, Sendable, Hashable {
            case malformedCredentials = "malformed_credentials"
            case unknownKey = "unknown_key"
            case missingKey = "missing_key"
            case noWorkload = "no_workload"
        }

        private let wrapped: Wrapped

        private init(_ wrapped: Wrapped) {
            self.wrapped = wrapped
        }

        /// `Authorization` is not `Bearer KEY`, a header is empty, or the two headers disagree.
        public static let malformedCredentials = Code(.malformedCredentials)
        /// The key presented is no workload's key. Refused even when the sidecar has a workload
        /// of its own: a wrong key is a mistake to report, not a reason to serve as someone else.
        public static let unknownKey = Code(.unknownKey)
        /// No key was presented and the sidecar's workload has `require_key: true`.
        public static let missingKey = Code(.missingKey)
        /// No key was presented, the sidecar has no workload of its own, and the policy
        /// defines workloads: there is nobody to serve the request as.
        public static let noWorkload = Code(.noWorkload)

        /// A stable snake_case name, for the error envelope's `code` and for metric labels.
        public var description: String { wrapped.rawValue }
    }

    /// The kind of failure.
    public var code: Code
    /// What went wrong, in words a user can act on.
    public var message: String

    /// Creates an error.
    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
