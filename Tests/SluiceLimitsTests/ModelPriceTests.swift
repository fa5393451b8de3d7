import SluiceLimits
import Testing

@Suite("Model price and cost")
struct ModelPriceTests {
    static let gpt4o = ModelPrice(input: 2_500_000_000, cachedInput: 1_250_000_000, output: 10_000_000_000)

    @Test("dollars per million become nano-dollars per million, exactly")
    func dollars() {
        #expect(ModelPrice.nanoUSD(dollars: 2.50) == 2_500_000_000)
        #expect(ModelPrice.nanoUSD(dollars: 0.075) == 75_000_000)
        #expect(ModelPrice.nanoUSD(dollars: 0.005) == 5_000_000)
        #expect(ModelPrice.nanoUSD(dollars: 18.75) == 18_750_000_000)
        #expect(ModelPrice.nanoUSD(dollars: .nan) == 0)
        #expect(ModelPrice.nanoUSD(dollars: .infinity) == .max)
        #expect(ModelPrice.dollars(input: 2.5, cachedInput: 1.25, output: 10) == Self.gpt4o)
    }

    @Test("the cached price defaults to the input price")
    func cachedDefaultsToInput() {
        let price = ModelPrice(input: 5_000_000_000, output: 15_000_000_000)
        #expect(price.cachedInput == 5_000_000_000)
        #expect(price.cacheWrite == nil)
        // Cached tokens without a discount cost what uncached ones do.
        let cached = price.cost(of: TokenUsage(prompt: 1_000, cachedPrompt: 800, completion: 0))
        let uncached = price.cost(of: TokenUsage(prompt: 1_000, completion: 0))
        #expect(cached == uncached)
        #expect(cached == 5_000_000)
    }

    @Test("OpenAI's worked example: gpt-4o, prompt 2006 of which 1920 cached, completion 300")
    func openAIWorkedExample() {
        let usage = TokenUsage(prompt: 2_006, cachedPrompt: 1_920, completion: 300)
        // 86 × $2.50/M + 1,920 × $1.25/M + 300 × $10/M = $0.000215 + $0.0024 + $0.003.
        #expect(Self.gpt4o.cost(of: usage) == 5_615_000)
        // Counting the cached tokens again on top of the prompt would have cost $0.010415.
        let doubleCounted = Self.gpt4o.cost(of: TokenUsage(prompt: 2_006, completion: 300))
            + Self.gpt4o.cost(of: TokenUsage(prompt: 0, cachedPrompt: 1_920, completion: 0))
        #expect(doubleCounted == 10_415_000)
    }

    @Test("reasoning tokens are inside completion tokens: only completion is billed")
    func reasoningIsASubset() {
        // o4-mini: 500 completion tokens of which 384 reasoning are billed as 500 output tokens.
        let price = ModelPrice.dollars(input: 1.10, cachedInput: 0.275, output: 4.40)
        #expect(price.cost(of: TokenUsage(prompt: 0, completion: 500)) == 2_200_000)
    }

    @Test("Anthropic: reads at the cached price, writes at the write price, each token once")
    func anthropicCacheWrites() {
        let sonnet = ModelPrice.dollars(input: 3, cachedInput: 0.30, output: 15, cacheWrite: 3.75)
        let usage = TokenUsage.anthropic(input: 100, cacheRead: 10_000, cacheCreation: 2_000, output: 500)
        #expect(usage == TokenUsage(prompt: 12_100, cachedPrompt: 10_000, completion: 500, cacheWrite: 2_000))
        #expect(usage.total == 12_600)
        // 100 × 3 + 10,000 × 0.30 + 2,000 × 3.75 + 500 × 15 = 18,300 $/M-token = $0.0183.
        #expect(sonnet.cost(of: usage) == 18_300_000)
        // Without a write price, writes bill as input.
        var noWrite = sonnet
        noWrite.cacheWrite = nil
        #expect(noWrite.cost(of: usage) == 18_300_000 - 2_000 * 750)
    }

    @Test("rounded once, to the nearest nano-dollar, half up")
    func rounding() {
        func cost(_ perMillion: NanoUSD, prompt: Int64) -> NanoUSD {
            ModelPrice(input: perMillion, output: 0).cost(of: TokenUsage(prompt: prompt, completion: 0))
        }
        #expect(cost(1_500_001, prompt: 1) == 2)
        #expect(cost(1_499_999, prompt: 1) == 1)
        #expect(cost(500_000, prompt: 1) == 1)
        #expect(cost(499_999, prompt: 1) == 0)
        #expect(cost(333_333, prompt: 3) == 1)
        // Three parts of 0.4 each: 1.2 rounds to 1 (rounding each part would give 0).
        let price = ModelPrice(input: 400_000, cachedInput: 400_000, output: 400_000)
        #expect(price.cost(of: TokenUsage(prompt: 2, cachedPrompt: 1, completion: 1)) == 1)
        // The cheapest per-token price is exact: gpt-4o-mini's cached input, 75 nano-dollars.
        let mini = ModelPrice.dollars(input: 0.15, cachedInput: 0.075, output: 0.60)
        #expect(mini.cost(of: TokenUsage(prompt: 1, cachedPrompt: 1, completion: 0)) == 75)
    }

    @Test("a billion tokens at the dearest prices does not overflow; beyond Int64 saturates")
    func noOverflow() {
        let o1Pro = ModelPrice.dollars(input: 150, output: 600)
        let billion: Int64 = 1_000_000_000
        // $150,000 + $600,000.
        #expect(o1Pro.cost(of: TokenUsage(prompt: billion, completion: billion)) == 750_000 * 1_000_000_000)
        let absurd = ModelPrice(input: .max, output: .max)
        #expect(absurd.cost(of: TokenUsage(prompt: .max, completion: .max)) == .max)
    }

    @Test("inconsistent or negative counts never make a negative cost")
    func inconsistentUsage() {
        // Cached tokens reported above the prompt: the cached ones are billed, nothing uncached.
        #expect(Self.gpt4o.cost(of: TokenUsage(prompt: 10, cachedPrompt: 20, completion: 0)) == 25_000)
        #expect(Self.gpt4o.cost(of: TokenUsage(prompt: -10, cachedPrompt: -5, completion: -1)) == 0)
        #expect(TokenUsage(prompt: .max, completion: 1).total == .max)
    }
}
