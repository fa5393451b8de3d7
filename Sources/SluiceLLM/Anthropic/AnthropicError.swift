/// An error Anthropic answered with, and how to say it to an OpenAI client.
///
/// Read from an error answer (``init(status:body:retryAfterSeconds:)``: `{"type":"error",
/// "error":{"type":…,"message":…},"request_id":…}`) or from an `error` event in a stream. The
/// provider's message reaches the app unchanged; the type decides the status:
///
/// | Anthropic `error.type` | status | OpenAI `type` | OpenAI `code` |
/// | --- | --- | --- | --- |
/// | `invalid_request_error` | 400 | `invalid_request_error` | `invalid_request_error` (1) |
/// | `authentication_error` | 401 | `invalid_request_error` | `invalid_api_key` |
/// | `billing_error` | 402 | `insufficient_quota` | `insufficient_quota` |
/// | `permission_error` | 403 | `invalid_request_error` | `permission_error` |
/// | `not_found_error` | 404 | `invalid_request_error` | `model_not_found` when about the model |
/// | `request_too_large` | 413 | `invalid_request_error` | `request_too_large` |
/// | `rate_limit_error` | 429 | `rate_limit_error` | `rate_limit_exceeded` |
/// | `api_error` | 500 | `server_error` | `api_error` |
/// | `timeout_error` | 504 | `server_error` | `timeout_error` |
/// | `overloaded_error` | 503 (2) | `server_error` | `overloaded_error` |
///
/// (1) `context_length_exceeded`, OpenAI's code, when the prompt does not fit the context window.
/// (2) Anthropic answers 529, which OpenAI clients do not know; 503 is what they retry.
///
/// An unknown type keeps the upstream status (529 as 503; 502 when there is none), and so does a
/// body that is not an Anthropic error (an HTML page from a proxy, say), which gets the type its
/// status implies and a message quoting its start.
public struct AnthropicError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Anthropic's `error.type` (`overloaded_error`).
    public var type: String
    /// Anthropic's `error.message`, unchanged.
    public var message: String
    /// The HTTP status Anthropic answered with; nil for an `error` event inside a stream.
    public var upstreamStatus: Int?
    /// Anthropic's request id (`req_…`), from the body's `request_id` when it has one.
    public var requestID: String?
    /// The `retry-after` the answer carried, in seconds, when the caller read one.
    public var retryAfterSeconds: Int?
    /// The status for an answer whose body said nothing: the upstream one.
    private var unreadableStatus: Int?

    /// Creates an error from its parts.
    public init(
        type: String, message: String, upstreamStatus: Int? = nil, requestID: String? = nil,
        retryAfterSeconds: Int? = nil
    ) {
        self.type = type
        self.message = message
        self.upstreamStatus = upstreamStatus
        self.requestID = requestID
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Reads an error answer: `status` and its body, plus the `retry-after` header's seconds
    /// when the caller has them.
    public init(status: Int, body: [UInt8], retryAfterSeconds: Int? = nil) {
        let document = try? JSONNode.parse(body)
        if let document, let parsed = Self(envelope: document, status: status) {
            self = parsed
        } else {
            let snippet = String(decoding: body.prefix(200), as: UTF8.self)
            let detail = snippet.isEmpty ? "an empty body" : "a body that is not an Anthropic error: \(snippet)"
            self.init(
                type: Self.type(forStatus: status), message: "Anthropic answered HTTP \(status) with \(detail)",
                upstreamStatus: status)
            unreadableStatus = status == 529 ? 503 : (400...599).contains(status) ? status : 502
        }
        self.retryAfterSeconds = retryAfterSeconds
    }

    /// Reads `{"type":"error","error":{…}}`; nil when `document` is not that shape.
    init?(envelope document: JSONNode, status: Int?) {
        guard let error = document["error"], let type = error["type"]?.string else { return nil }
        self.init(
            type: type, message: error["message"]?.string ?? "", upstreamStatus: status,
            requestID: document["request_id"]?.string)
    }

    /// The status to answer the app with.
    public var httpStatus: Int {
        if let unreadableStatus { return unreadableStatus }
        return switch type {
        case "invalid_request_error": 400
        case "authentication_error": 401
        case "billing_error": 402
        case "permission_error": 403
        case "not_found_error": 404
        case "request_too_large": 413
        case "rate_limit_error": 429
        case "api_error": 500
        case "overloaded_error": 503
        case "timeout_error": 504
        default:
            switch upstreamStatus {
            case 529: 503
            case .some(let status) where (400...599).contains(status): status
            default: 502
            }
        }
    }

    /// Whether Anthropic said the prompt does not fit the model's context window
    /// (`prompt is too long: 210000 tokens > 200000 maximum`, `… exceed context limit …`).
    public var isContextLengthExceeded: Bool {
        guard type == "invalid_request_error" || type == "request_too_large" else { return false }
        let text = message.lowercased()
        return text.contains("prompt is too long") || text.contains("context limit")
            || text.contains("context window")
    }

    /// The `type` of the OpenAI envelope.
    public var openAIType: String {
        switch httpStatus {
        case 402: "insufficient_quota"
        case 429: "rate_limit_error"
        case 500...: "server_error"
        default: "invalid_request_error"
        }
    }

    /// The `code` of the OpenAI envelope: OpenAI's name where one fits, else Anthropic's type.
    public var openAICode: String {
        if isContextLengthExceeded { return "context_length_exceeded" }
        switch type {
        case "authentication_error": return "invalid_api_key"
        case "billing_error": return "insufficient_quota"
        case "rate_limit_error": return "rate_limit_exceeded"
        case "not_found_error" where message.hasPrefix("model:"): return "model_not_found"
        default: return type
        }
    }

    /// OpenAI's error envelope: `{"error":{"message":…,"type":…,"param":null,"code":…}}`.
    public func openAIBody() -> [UInt8] {
        var json = JSONWriter(capacity: message.utf8.count + 128)
        json.beginObject()
        json.key("error")
        json.beginObject()
        json.field("message", message)
        json.field("type", openAIType)
        json.field("param", nil)
        json.field("code", openAICode)
        json.endObject()
        json.endObject()
        return json.bytes
    }

    /// The OpenAI envelope as one SSE frame, `data: {"error":{…}}\n\n`, for a stream that
    /// fails after its 200 has gone out; no `[DONE]` may follow it.
    public func openAIStreamErrorEvent() -> [UInt8] {
        SSEWriter.data(openAIBody())
    }

    /// The type, status and message, for logs.
    public var description: String {
        let status = upstreamStatus.map { "HTTP \($0), " } ?? ""
        return "Anthropic \(type) (\(status)answered as \(httpStatus)): \(message)"
    }

    /// The error type an answer with `status` and no readable body stands for.
    static func type(forStatus status: Int) -> String {
        switch status {
        case 401: "authentication_error"
        case 402: "billing_error"
        case 403: "permission_error"
        case 404: "not_found_error"
        case 413: "request_too_large"
        case 429: "rate_limit_error"
        case 504: "timeout_error"
        case 503, 529: "overloaded_error"
        case 500...: "api_error"
        default: "invalid_request_error"
        }
    }
}
