import SluiceLLM
import Testing

@Suite("Anthropic errors in OpenAI's envelope")
struct AnthropicErrorTests {
    static let recorded = WireFixture.names { $1.provider == "anthropic" && $1.response.status != 200 }

    @Test(
        "the recorded errors keep their status and message",
        arguments: [
            ("anthropic-messages-error-invalid-request.json", "invalid_request_error", "invalid_request_error"),
            ("anthropic-messages-error-authentication.json", "invalid_request_error", "invalid_api_key"),
            ("anthropic-messages-error-not-found.json", "invalid_request_error", "model_not_found"),
        ])
    func recordings(name: String, openAIType: String, openAICode: String) throws {
        let fixture = WireFixture.load(name)
        let status = try #require(fixture.response.status)
        let recorded = try #require(JSONValue.parse(fixture.response.bytes))
        let error = AnthropicError(status: status, body: fixture.response.bytes)
        #expect(error.httpStatus == status)
        #expect(error.upstreamStatus == status)
        #expect(error.type == recorded["error"]?["type"]?.string)
        #expect(error.message == recorded["error"]?["message"]?.string)
        #expect(error.requestID == recorded["request_id"]?.string)

        let envelope = try #require(JSONValue.parse(error.openAIBody()))
        #expect(
            envelope
                == .object([
                    "error": .object([
                        "message": recorded["error"]?["message"] ?? .null, "type": .string(openAIType), "param": .null,
                        "code": .string(openAICode),
                    ])
                ]))
        #expect(Self.recorded.contains(name))
    }

    @Test("all recorded errors are covered")
    func coverage() {
        #expect(Self.recorded.count == 3)
    }

    /// No 429, 5xx or 529 was ever recorded (see the fixtures' README), so these bodies follow
    /// the documented shape `{"type":"error","error":{"type":…,"message":…}}`.
    @Test(
        "each Anthropic error type gets its status",
        arguments: [
            ("invalid_request_error", 400, 400, "invalid_request_error"),
            ("authentication_error", 401, 401, "invalid_request_error"),
            ("billing_error", 402, 402, "insufficient_quota"),
            ("permission_error", 403, 403, "invalid_request_error"),
            ("not_found_error", 404, 404, "invalid_request_error"),
            ("request_too_large", 413, 413, "invalid_request_error"),
            ("rate_limit_error", 429, 429, "rate_limit_error"),
            ("api_error", 500, 500, "server_error"),
            ("timeout_error", 504, 504, "server_error"),
            ("overloaded_error", 529, 503, "server_error"),
            ("some_new_error", 418, 418, "invalid_request_error"),
            ("some_new_error", 529, 503, "server_error"),
        ])
    func statuses(type: String, upstream: Int, status: Int, openAIType: String) throws {
        let body = #"{"type":"error","error":{"type":"\#(type)","message":"Something about \#(type)"}}"#
        let error = AnthropicError(status: upstream, body: Array(body.utf8))
        #expect(error.type == type)
        #expect(error.httpStatus == status)
        #expect(error.openAIType == openAIType)
        let envelope = try #require(JSONValue.parse(error.openAIBody()))
        #expect(envelope["error"]?["type"]?.string == openAIType)
        #expect(envelope["error"]?["message"]?.string == "Something about \(type)")
    }

    @Test("a rate limit keeps its retry-after; codes name the cause")
    func rateLimit() {
        let body =
            #"{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}"#
        let error = AnthropicError(status: 429, body: Array(body.utf8), retryAfterSeconds: 17)
        #expect(error.retryAfterSeconds == 17)
        #expect(error.openAICode == "rate_limit_exceeded")
        #expect(!error.isContextLengthExceeded)
    }

    @Test(
        "a prompt too long for the context window is recognised",
        arguments: [
            "prompt is too long: 210000 tokens > 200000 maximum",
            "input length and `max_tokens` exceed context limit: 197738 + 8192 > 200000, decrease input length or `max_tokens` and try again",
        ])
    func contextLength(message: String) {
        let body = #"{"type":"error","error":{"type":"invalid_request_error","message":"\#(message)"}}"#
        let error = AnthropicError(status: 400, body: Array(body.utf8))
        #expect(error.isContextLengthExceeded)
        #expect(error.openAICode == "context_length_exceeded")
        #expect(error.httpStatus == 400)
    }

    @Test(
        "a body that is not an Anthropic error keeps the status and quotes the body",
        arguments: [
            (502, "<html>Bad gateway</html>", 502, "api_error"), (529, "", 503, "overloaded_error"),
            (429, "slow down", 429, "rate_limit_error"), (400, "{}", 400, "invalid_request_error"),
        ])
    func unreadable(status: Int, body: String, answered: Int, type: String) {
        let error = AnthropicError(status: status, body: Array(body.utf8))
        #expect(error.httpStatus == answered)
        #expect(error.type == type)
        #expect(error.message.contains("HTTP \(status)"))
        #expect(body.isEmpty || error.message.contains(body))
    }

    @Test("the in-band stream frame is one data event with the envelope")
    func streamFrame() {
        let error = AnthropicError(type: "overloaded_error", message: "Overloaded")
        let frame = error.openAIStreamErrorEvent()
        #expect(frame == SSEWriter.data(error.openAIBody()))
        let events = TestSupport.events(frame)
        #expect(events.count == 1)
        #expect(JSONValue.parse(Array(events[0].data.utf8))?["error"]?["code"]?.string == "overloaded_error")
        #expect(error.httpStatus == 503)
        #expect(error.description.contains("Overloaded"))
    }
}
