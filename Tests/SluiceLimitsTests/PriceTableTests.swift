import SluiceLimits
import Testing

@Suite("Price table")
struct PriceTableTests {
    let table = PriceTable.defaults

    func input(_ model: String, provider: String = "openai", in table: PriceTable = .defaults) -> NanoUSD? {
        table.price(provider: provider, model: model)?.input
    }

    @Test("list prices of current models", arguments: [
        ("gpt-4o", 2_500_000_000, 1_250_000_000, 10_000_000_000),
        ("gpt-4o-mini", 150_000_000, 75_000_000, 600_000_000),
        ("gpt-4.1", 2_000_000_000, 500_000_000, 8_000_000_000),
        ("gpt-4.1-mini", 400_000_000, 100_000_000, 1_600_000_000),
        ("gpt-4.1-nano", 100_000_000, 25_000_000, 400_000_000),
        ("o1", 15_000_000_000, 7_500_000_000, 60_000_000_000),
        ("o3", 2_000_000_000, 500_000_000, 8_000_000_000),
        ("o3-mini", 1_100_000_000, 550_000_000, 4_400_000_000),
        ("o4-mini", 1_100_000_000, 275_000_000, 4_400_000_000),
        ("gpt-5", 1_250_000_000, 125_000_000, 10_000_000_000),
        ("gpt-5-mini", 250_000_000, 25_000_000, 2_000_000_000),
        ("gpt-5-nano", 50_000_000, 5_000_000, 400_000_000),
        ("text-embedding-3-small", 20_000_000, 20_000_000, 0),
        ("text-embedding-3-large", 130_000_000, 130_000_000, 0),
        ("text-embedding-ada-002", 100_000_000, 100_000_000, 0),
        ("claude-opus-4-1", 15_000_000_000, 1_500_000_000, 75_000_000_000),
        ("claude-opus-4", 15_000_000_000, 1_500_000_000, 75_000_000_000),
        ("claude-sonnet-4-5", 3_000_000_000, 300_000_000, 15_000_000_000),
        ("claude-sonnet-4", 3_000_000_000, 300_000_000, 15_000_000_000),
        ("claude-haiku-4-5", 1_000_000_000, 100_000_000, 5_000_000_000),
        ("claude-3-5-haiku", 800_000_000, 80_000_000, 4_000_000_000),
        ("claude-3-7-sonnet", 3_000_000_000, 300_000_000, 15_000_000_000),
    ] as [(String, NanoUSD, NanoUSD, NanoUSD)])
    func listPrices(model: String, input: NanoUSD, cached: NanoUSD, output: NanoUSD) throws {
        let price = try #require(table.price(provider: "any", model: model))
        #expect(price.input == input)
        #expect(price.cachedInput == cached)
        #expect(price.output == output)
        if model.hasPrefix("claude") {
            // Anthropic's 5-minute cache write is 1.25 × input, its cache read 0.1 ×.
            #expect(price.cacheWrite == input / 4 * 5)
            #expect(price.cachedInput == input / 10)
        } else {
            #expect(price.cacheWrite == nil)
        }
    }

    @Test("dated and aliased variants find their base model", arguments: [
        ("gpt-4o-2024-08-06", "gpt-4o"),
        ("gpt-4o-2024-11-20", "gpt-4o"),
        ("gpt-4o-mini-2024-07-18", "gpt-4o-mini"),
        ("gpt-4.1-2025-04-14", "gpt-4.1"),
        ("gpt-4.1-mini-2025-04-14", "gpt-4.1-mini"),
        ("o3-mini-2025-01-31", "o3-mini"),
        ("o1-2024-12-17", "o1"),
        ("gpt-5-2025-08-07", "gpt-5"),
        ("gpt-3.5-turbo-0125", "gpt-3.5-turbo"),
        ("claude-sonnet-4-5-20250929", "claude-sonnet-4-5"),
        ("claude-opus-4-1-20250805", "claude-opus-4-1"),
        ("claude-opus-4-20250514", "claude-opus-4"),
        ("claude-sonnet-4-0", "claude-sonnet-4"),
        ("claude-3-5-haiku-20241022", "claude-3-5-haiku"),
        ("claude-3-5-haiku-latest", "claude-3-5-haiku"),
        ("claude-3-7-sonnet-latest", "claude-3-7-sonnet"),
        ("claude-haiku-4-5-20251001", "claude-haiku-4-5"),
        ("GPT-4o-2024-08-06", "gpt-4o"),
    ])
    func datedVariants(model: String, base: String) throws {
        let variant = try #require(table.price(provider: "openai", model: model))
        #expect(variant == table.price(provider: "openai", model: base))
    }

    @Test("a different model is never priced as its base")
    func noFalsePrefixes() {
        #expect(input("gpt-4o-mini") == 150_000_000, "gpt-4o-mini is not gpt-4o")
        #expect(input("gpt-4o-mini-2024-07-18") == 150_000_000)
        #expect(input("gpt-4.1-nano-2025-04-14") == 100_000_000)
        #expect(input("o3-pro") == 20_000_000_000, "o3-pro is not o3")
        #expect(input("o3-pro-2025-06-10") == 20_000_000_000)
        #expect(input("o1-preview") == nil, "not a dated variant, and unknown")
        #expect(input("gpt-4o-realtime-preview") == nil)
        #expect(input("gpt-4o-") == nil)
        #expect(input("-2024") == nil)
        #expect(input("llama-3.1-70b") == nil)
        #expect(input("") == nil)
        // A dated snapshot with its own list price is not its base.
        #expect(input("gpt-4o-2024-05-13") == 5_000_000_000)
    }

    @Test("overrides come first: provider/model, then model, then the defaults")
    func overrides() {
        let negotiated = ModelPrice.dollars(input: 2, cachedInput: 1, output: 8)
        let azure = ModelPrice.dollars(input: 2.75, output: 11)
        let custom = ModelPrice.dollars(input: 0.5, output: 0.5)
        let table = PriceTable(overrides: [
            "gpt-4o": negotiated,
            "azure/gpt-4o": azure,
            "my-finetune": custom,
        ])
        #expect(table.price(provider: "openai", model: "gpt-4o") == negotiated)
        #expect(table.price(provider: "azure", model: "gpt-4o") == azure)
        #expect(table.price(provider: "Azure", model: "GPT-4o") == azure)
        // An override of a base model applies to its dated variants.
        #expect(table.price(provider: "openai", model: "gpt-4o-2024-08-06") == negotiated)
        #expect(table.price(provider: "azure", model: "gpt-4o-2024-08-06") == azure)
        #expect(table.price(provider: "openai", model: "my-finetune") == custom)
        // Models not overridden keep their defaults.
        #expect(table.price(provider: "openai", model: "gpt-4o-mini") == PriceTable.defaults.price(provider: "openai", model: "gpt-4o-mini"))
        #expect(table.price(provider: "anthropic", model: "claude-sonnet-4-5")?.input == 3_000_000_000)
    }

    @Test("without defaults only the overrides price anything")
    func withoutDefaults() {
        let custom = ModelPrice.dollars(input: 1, output: 2)
        let table = PriceTable(overrides: ["openai/gpt-4o": custom], includeDefaults: false)
        #expect(table.price(provider: "openai", model: "gpt-4o") == custom)
        #expect(table.price(provider: "azure", model: "gpt-4o") == nil)
        #expect(table.price(provider: "openai", model: "gpt-4o-mini") == nil)
    }

    @Test("cost through the table")
    func costThroughTable() {
        let usage = TokenUsage(prompt: 2_006, cachedPrompt: 1_920, completion: 300)
        #expect(table.cost(of: usage, provider: "openai", model: "gpt-4o-2024-08-06") == 5_615_000)
        #expect(table.cost(of: usage, provider: "openai", model: "unknown-model") == nil)
        let price = table.price(provider: "openai", model: "gpt-4o")!
        #expect(table.cost(of: usage, price: price) == 5_615_000)
    }

    @Test("every default has sane prices")
    func defaultsAreSane() {
        for (model, price) in PriceTable.defaultPrices {
            #expect(model == model.lowercased())
            #expect(price.input > 0, "\(model)")
            #expect(price.cachedInput <= price.input, "\(model)")
            #expect(price.output >= 0, "\(model)")
            #expect(price.input < 1_000_000_000_000, "\(model): under $1,000 per million")
        }
    }
}
