/// The one error type of Sluice's API: what went wrong, in words a user can act on, and how to
/// say it to an OpenAI or Anthropic client.
///
/// A struct around a ``Code`` (not an enum) so codes can be added without breaking callers, in
/// the manner of grpc-swift's `RPCError`. Build one with a factory (``modelNotFound(_:available:)``,
/// ``upstreamTimeout(provider:timeout:after:)``...) so messages stay consistent; render it with
/// ``openAIBody()`` or ``anthropicBody()``, never by hand.
public struct SluiceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is; decides the HTTP status and the envelope's `type`.
    public var code: Code
    /// What happened and what to do about it, for the person reading the client's error.
    public var message: String
    /// The request parameter at fault (`"model"`, `"messages[0].content"`), if one is.
    public var param: String?
    /// Seconds the client should wait before retrying (sent as `retry-after`), when known.
    public var retryAfterSeconds: Int?
    /// The underlying error, for logs. Not part of equality and never rendered to clients.
    public var cause: (any Error & Sendable)?
    /// A more precise OpenAI `code` than the ``Code``'s own (`missing_required_parameter`).
    private var openAICodeOverride: String?

    /// Creates an error; prefer the factories, which word the message.
    public init(
        code: Code,
        message: String,
        param: String? = nil,
        retryAfterSeconds: Int? = nil,
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.param = param
        self.retryAfterSeconds = retryAfterSeconds
        self.cause = cause
    }

    init(code: Code, message: String, param: String?, openAICode: String) {
        self.init(code: code, message: message, param: param)
        self.openAICodeOverride = openAICode
    }

    /// The HTTP status to answer with.
    public var httpStatus: Int { code.httpStatus }

    /// The `code` string of the OpenAI envelope (`model_not_found`, `missing_required_parameter`).
    public var openAICode: String { openAICodeOverride ?? code.openAICode }

    /// The code, status and message, plus the cause when there is one (for logs).
    public var description: String {
        var text = "\(code) (\(httpStatus)): \(message)"
        if let cause { text += " [cause: \(cause)]" }
        return text
    }

    /// Equal when code, message, param, retry hint and OpenAI code match; the cause is ignored.
    public static func == (lhs: SluiceError, rhs: SluiceError) -> Bool {
        lhs.code == rhs.code && lhs.message == rhs.message && lhs.param == rhs.param
            && lhs.retryAfterSeconds == rhs.retryAfterSeconds && lhs.openAICodeOverride == rhs.openAICodeOverride
    }

    /// Hashes what ``==(_:_:)`` compares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
        hasher.combine(message)
        hasher.combine(param)
        hasher.combine(retryAfterSeconds)
        hasher.combine(openAICodeOverride)
    }
}
