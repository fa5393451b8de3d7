import Testing

@testable import SluiceLLM

@Suite("ProviderRefusal: context length and content filter answers")
struct ProviderRefusalTests {
    @Test("OpenAI's context_length_exceeded and Anthropic's prompt is too long")
    func contextLength() {
        let openAI = #"{"error":{"message":"This model's maximum context length is 128000 tokens. However, your messages resulted in 130412 tokens. Please reduce the length of the messages.","type":"invalid_request_error","param":"messages","code":"context_length_exceeded"}}"#
        let anthropic = #"{"type":"error","error":{"type":"invalid_request_error","message":"prompt is too long: 210932 tokens > 200000 maximum"}}"#
        #expect(ProviderRefusal.classify(status: 400, body: Array(openAI.utf8)) == .contextLength)
        #expect(ProviderRefusal.classify(status: 400, body: Array(anthropic.utf8)) == .contextLength)
    }

    @Test("Azure's content_filter and OpenAI's content_policy_violation")
    func contentFilter() {
        let azure = #"{"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.","type":null,"param":"prompt","code":"content_filter","status":400,"innererror":{"code":"ResponsibleAIPolicyViolation"}}}"#
        let openAI = #"{"error":{"code":"content_policy_violation","message":"Your request was rejected as a result of our safety system.","param":null,"type":"invalid_request_error"}}"#
        #expect(ProviderRefusal.classify(status: 400, body: Array(azure.utf8)) == .contentFilter)
        #expect(ProviderRefusal.classify(status: 400, body: Array(openAI.utf8)) == .contentFilter)
    }

    @Test("ordinary 4xx answers, other statuses and unreadable bodies are neither")
    func neither() {
        let missing = WireFixture.load("openai-chat-error-missing-messages.json")
        #expect(ProviderRefusal.classify(status: 400, body: missing.response.bytes) == nil)
        let anthropic = WireFixture.load("anthropic-messages-error-invalid-request.json")
        #expect(ProviderRefusal.classify(status: 400, body: anthropic.response.bytes) == nil)
        let long = #"{"error":{"code":"context_length_exceeded"}}"#
        #expect(ProviderRefusal.classify(status: 500, body: Array(long.utf8)) == nil)
        #expect(ProviderRefusal.classify(status: 400, body: Array("<html>".utf8)) == nil)
    }
}
