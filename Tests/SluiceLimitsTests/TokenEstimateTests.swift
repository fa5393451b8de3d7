import SluiceLimits
import Testing

@Suite("Token estimate")
struct TokenEstimateTests {
    @Test("ceil(bytes / 4) + 4 per message + 3")
    func promptTokens() {
        #expect(TokenEstimate.promptTokens(textBytes: 0, messages: 0) == 3)
        #expect(TokenEstimate.promptTokens(textBytes: 1, messages: 1) == 1 + 4 + 3)
        #expect(TokenEstimate.promptTokens(textBytes: 4, messages: 1) == 1 + 4 + 3)
        #expect(TokenEstimate.promptTokens(textBytes: 5, messages: 1) == 2 + 4 + 3)
        #expect(TokenEstimate.promptTokens(textBytes: 4_000, messages: 10) == 1_000 + 40 + 3)
        #expect(TokenEstimate.promptTokens(textBytes: -5, messages: -1) == 3)
        #expect(TokenEstimate.promptTokens(textBytes: .max, messages: .max) == .max)
    }

    @Test("over-estimates an English chat that o200k_base counts as 22 tokens")
    func overEstimatesEnglish() {
        // [system: "You are a helpful assistant.", user: "What is the capital of France?"] is
        // 22 prompt tokens on gpt-4o (6 + 7 text, 3 per message framing, 3 reply priming).
        let text = "You are a helpful assistant." + "What is the capital of France?"
        let estimate = TokenEstimate.promptTokens(textBytes: text.utf8.count, messages: 2)
        #expect(estimate >= 22)
        #expect(estimate <= 30)
    }

    @Test("reservation: prompt plus max_tokens, else the default completion")
    func reservation() {
        #expect(TokenEstimate.reservation(prompt: 100, maxTokens: 50, defaultCompletion: 1_000) == 150)
        #expect(TokenEstimate.reservation(prompt: 100, maxTokens: nil, defaultCompletion: 1_000) == 1_100)
        #expect(TokenEstimate.reservation(prompt: 100, maxTokens: 0, defaultCompletion: 1_000) == 100)
        #expect(TokenEstimate.reservation(prompt: -1, maxTokens: -1, defaultCompletion: 1_000) == 0)
        #expect(TokenEstimate.reservation(prompt: .max, maxTokens: 10, defaultCompletion: 0) == .max)
    }
}
