import SluiceLLM
import Testing

@Suite("SluiceError")
struct SluiceErrorTests {
    struct Expectation: Sendable, CustomTestStringConvertible {
        var error: SluiceError
        var status: Int
        var openAIType: String
        var openAICode: String
        var anthropicType: String

        var testDescription: String { error.code.description }
    }

    static let expectations: [Expectation] = [
        Expectation(
            error: .invalidJSON(BodyScanError(offset: 37, reason: "expected ',' or '}' after object member")),
            status: 400, openAIType: "invalid_request_error", openAICode: "invalid_json",
            anthropicType: "invalid_request_error"),
        Expectation(
            error: .missingField("messages"), status: 400, openAIType: "invalid_request_error",
            openAICode: "missing_required_parameter", anthropicType: "invalid_request_error"),
        Expectation(
            error: .invalidFieldType("messages[0].content", expected: "a string"), status: 400,
            openAIType: "invalid_request_error", openAICode: "invalid_type", anthropicType: "invalid_request_error"),
        Expectation(
            error: .invalidField("input", "it must not be empty"), status: 400, openAIType: "invalid_request_error",
            openAICode: "invalid_value", anthropicType: "invalid_request_error"),
        Expectation(
            error: .missingKey(workload: "checkout"), status: 401, openAIType: "invalid_request_error",
            openAICode: "invalid_api_key", anthropicType: "authentication_error"),
        Expectation(
            error: .unknownKey(workload: "checkout"), status: 401, openAIType: "invalid_request_error",
            openAICode: "invalid_api_key", anthropicType: "authentication_error"),
        Expectation(
            error: .modelNotAllowed("gpt-4o", workload: "checkout", allowed: ["cheap"]), status: 403,
            openAIType: "invalid_request_error", openAICode: "model_not_allowed", anthropicType: "permission_error"),
        Expectation(
            error: .modelNotFound("gpt-9", available: ["gpt-4o", "gpt-4o-mini"]), status: 404,
            openAIType: "invalid_request_error", openAICode: "model_not_found", anthropicType: "not_found_error"),
        Expectation(
            error: .notFound(method: "POST", path: "/v1/nothing"), status: 404, openAIType: "invalid_request_error",
            openAICode: "unknown_url", anthropicType: "not_found_error"),
        Expectation(
            error: .methodNotAllowed(method: "GET", path: "/v1/chat/completions", allowed: ["POST"]), status: 405,
            openAIType: "invalid_request_error", openAICode: "method_not_allowed",
            anthropicType: "invalid_request_error"),
        Expectation(
            error: .bodyTooLarge(limit: 10 << 20), status: 413, openAIType: "invalid_request_error",
            openAICode: "request_too_large", anthropicType: "request_too_large"),
        Expectation(
            error: .promptBlocked(rule: "no_exfil"), status: 400, openAIType: "invalid_request_error",
            openAICode: "prompt_blocked", anthropicType: "invalid_request_error"),
        Expectation(
            error: .rateLimited("Rate limit reached for workload 'checkout': requests_per_minute is 600."),
            status: 429, openAIType: "rate_limit_error", openAICode: "rate_limit_exceeded",
            anthropicType: "rate_limit_error"),
        Expectation(
            error: .budgetExceeded("Budget exhausted for workload 'checkout'."),
            status: 429, openAIType: "insufficient_quota", openAICode: "budget_exceeded",
            anthropicType: "rate_limit_error"),
        Expectation(
            error: .upstreamUnreachable(provider: "openai", host: "api.openai.com", reason: "connection refused"),
            status: 502, openAIType: "api_error", openAICode: "upstream_unreachable", anthropicType: "api_error"),
        Expectation(
            error: .upstreamTLS(provider: "openai", host: "api.openai.com", reason: "certificate has expired"),
            status: 502, openAIType: "api_error", openAICode: "upstream_tls_error", anthropicType: "api_error"),
        Expectation(
            error: .upstreamTimeout(provider: "openai", timeout: .firstByte, after: .seconds(30)), status: 504,
            openAIType: "api_error", openAICode: "upstream_timeout", anthropicType: "api_error"),
        Expectation(
            error: .upstreamProtocol(provider: "openai", detail: "the body is not JSON"), status: 502,
            openAIType: "api_error", openAICode: "upstream_protocol_error", anthropicType: "api_error"),
        Expectation(
            error: .noHealthyTarget(model: "gpt-4o"), status: 503, openAIType: "api_error",
            openAICode: "no_healthy_target", anthropicType: "overloaded_error"),
        Expectation(
            error: .internal("pipeline stage returned no action"), status: 500, openAIType: "server_error",
            openAICode: "internal_error", anthropicType: "api_error"),
        Expectation(
            error: .shuttingDown(), status: 503, openAIType: "server_error", openAICode: "shutting_down",
            anthropicType: "overloaded_error"),
    ]

    @Test("status, OpenAI envelope and Anthropic envelope", arguments: expectations)
    func envelopes(_ expected: Expectation) throws {
        let error = expected.error
        #expect(error.httpStatus == expected.status)
        #expect(error.code.openAIType == expected.openAIType)

        let openAI = error.openAIBody()
        #expect(try TestSupport.topLevelKeys(openAI) == ["error"])
        let inner = try #require(JSONValue.parse(openAI)?["error"])
        #expect(inner.object.map { Set($0.keys) } == ["message", "type", "param", "code"])
        #expect(inner["message"]?.string == error.message)
        #expect(inner["type"]?.string == expected.openAIType)
        #expect(inner["code"]?.string == expected.openAICode)
        #expect(inner["param"] == error.param.map(JSONValue.string) ?? .null)
        #expect(openAI.starts(with: Array(#"{"error":{"message":"#.utf8)), "OpenAI's key order")

        let anthropic = error.anthropicBody()
        #expect(try TestSupport.topLevelKeys(anthropic) == ["type", "error"])
        let parsed = try #require(JSONValue.parse(anthropic))
        #expect(parsed["type"]?.string == "error")
        #expect(parsed["error"]?.object.map { Set($0.keys) } == ["type", "message"])
        #expect(parsed["error"]?["type"]?.string == expected.anthropicType)
        #expect(parsed["error"]?["message"]?.string == error.message)
    }

    @Test("stream error frames carry the envelopes", arguments: expectations.map(\.error))
    func streamEvents(error: SluiceError) {
        let openAI = TestSupport.events(error.openAIStreamErrorEvent())
        #expect(openAI == [SSEEvent(data: String(decoding: error.openAIBody(), as: UTF8.self))])
        #expect(error.openAIStreamErrorEvent().starts(with: Array("data: {\"error\":".utf8)))
        let anthropic = TestSupport.events(error.anthropicStreamErrorEvent())
        #expect(anthropic == [SSEEvent(event: "error", data: String(decoding: error.anthropicBody(), as: UTF8.self))])
    }

    @Test("a missing parameter looks exactly like OpenAI's own error")
    func matchesOpenAI() throws {
        let recorded = WireFixture.load("openai-chat-error-missing-messages.json").response.bytes
        #expect(JSONValue.parse(SluiceError.missingField("messages").openAIBody()) == JSONValue.parse(recorded))
    }

    @Test("an unknown model names the models there are")
    func modelNotFoundMessage() {
        let error = SluiceError.modelNotFound("gpt-9", available: ["gpt-4o", "gpt-4o-mini"])
        #expect(
            error.message
                == "The model 'gpt-9' does not exist in this Sluice policy. Models available: gpt-4o, gpt-4o-mini.")
        #expect(error.param == "model")
        #expect(SluiceError.modelNotFound("x", available: []).message.hasSuffix("No models are configured for it."))
    }

    @Test(
        "messages say what to do",
        arguments: [
            (
                SluiceError.invalidJSON(BodyScanError(offset: 37, reason: "expected ',' or '}' after object member")),
                "The request body is not valid JSON: expected ',' or '}' after object member at byte 37. "
                    + "Send one JSON object with 'Content-Type: application/json'."
            ),
            (
                .upstreamTLS(provider: "openai", host: "api.openai.com", reason: "self-signed certificate"),
                "The TLS certificate of api.openai.com (provider 'openai') was not trusted: self-signed certificate. "
                    + "Check the provider's base_url and the CA certificates available to Sluice."
            ),
            (
                .upstreamTimeout(provider: "openai", timeout: .firstByte, after: .seconds(30)),
                "Provider 'openai' did not start its response within 30s (providers.openai.timeouts.first_byte). "
                    + "Try again, or raise the timeout in the policy."
            ),
            (
                .bodyTooLarge(limit: 10 << 20),
                "The request body is larger than this Sluice's limit of 10 MiB. "
                    + "Send a smaller request, or raise the limit in the policy."
            ),
            (
                .invalidField("dimensions", "it must be between 1 and 4096"),
                "Invalid value for 'dimensions': it must be between 1 and 4096."
            ),
        ])
    func messages(error: SluiceError, message: String) {
        #expect(error.message == message)
    }

    @Test(
        "timeouts are written like the policy's durations",
        arguments: [
            (Duration.milliseconds(250), "250ms"), (.seconds(30), "30s"), (.milliseconds(1500), "1.5s"),
            (.seconds(120), "2m"), (.milliseconds(2050), "2.05s"),
        ])
    func durations(duration: Duration, text: String) {
        let error = SluiceError.upstreamTimeout(provider: "p", timeout: .connect, after: duration)
        #expect(error.message.contains("within \(text) (providers.p.timeouts.connect)"))
    }

    @Test("text with quotes and line breaks is escaped in both envelopes")
    func escaping() throws {
        let error = SluiceError.modelNotFound("evil\"}\n{", available: ["a\\b"])
        #expect(JSONValue.parse(error.openAIBody())?["error"]?["message"]?.string == error.message)
        #expect(JSONValue.parse(error.anthropicBody())?["error"]?["message"]?.string == error.message)
    }

    @Test("equality ignores the cause; retry hints are kept")
    func equality() {
        struct Cause: Error {}
        var withCause = SluiceError.upstreamUnreachable(provider: "p", host: "h", reason: "r", cause: Cause())
        let without = SluiceError.upstreamUnreachable(provider: "p", host: "h", reason: "r")
        #expect(withCause == without)
        #expect(Set([withCause, without]).count == 1)
        #expect(withCause.description.contains("cause"))
        withCause.param = "x"
        #expect(withCause != without)
        #expect(SluiceError(code: .rateLimited, message: "m", retryAfterSeconds: 7).retryAfterSeconds == 7)
        #expect(SluiceError.missingField("a") != SluiceError.invalidField("a", "x"))
    }
}
