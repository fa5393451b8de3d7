extension PriceTable {
    /// List prices of common OpenAI and Anthropic models in US dollars per million tokens,
    /// standard (not batch or priority) tier, keyed by model name.
    ///
    /// Sources, as of November 2025: <https://openai.com/api/pricing> and
    /// <https://platform.openai.com/docs/pricing>; <https://www.anthropic.com/pricing> and
    /// <https://docs.claude.com/en/docs/about-claude/pricing>. Prices change; a policy overrides
    /// any of them (`prices:` in the policy file), and the operator is the authority.
    ///
    /// OpenAI: `cachedInput` is the cached-input price; cache writes are free. Anthropic:
    /// `cachedInput` is the cache-hit (read) price, 0.1× input, and `cacheWrite` the 5-minute
    /// cache write, 1.25× input; Claude Sonnet 4 and 4.5 prompts over 200K tokens cost more
    /// (long-context pricing), which this table does not model.
    public static let defaultPrices: [String: ModelPrice] = [
        // OpenAI: GPT-5 family.
        "gpt-5": .dollars(input: 1.25, cachedInput: 0.125, output: 10.00),
        "gpt-5.1": .dollars(input: 1.25, cachedInput: 0.125, output: 10.00),
        "gpt-5-chat-latest": .dollars(input: 1.25, cachedInput: 0.125, output: 10.00),
        "gpt-5-mini": .dollars(input: 0.25, cachedInput: 0.025, output: 2.00),
        "gpt-5-nano": .dollars(input: 0.05, cachedInput: 0.005, output: 0.40),
        "gpt-5-pro": .dollars(input: 15.00, output: 120.00),
        // OpenAI: GPT-4.1 and GPT-4o.
        "gpt-4.1": .dollars(input: 2.00, cachedInput: 0.50, output: 8.00),
        "gpt-4.1-mini": .dollars(input: 0.40, cachedInput: 0.10, output: 1.60),
        "gpt-4.1-nano": .dollars(input: 0.10, cachedInput: 0.025, output: 0.40),
        "gpt-4o": .dollars(input: 2.50, cachedInput: 1.25, output: 10.00),
        // The first gpt-4o snapshot kept its launch price.
        "gpt-4o-2024-05-13": .dollars(input: 5.00, output: 15.00),
        "gpt-4o-mini": .dollars(input: 0.15, cachedInput: 0.075, output: 0.60),
        "gpt-4-turbo": .dollars(input: 10.00, output: 30.00),
        "gpt-3.5-turbo": .dollars(input: 0.50, output: 1.50),
        // OpenAI: reasoning models.
        "o1": .dollars(input: 15.00, cachedInput: 7.50, output: 60.00),
        "o1-mini": .dollars(input: 1.10, cachedInput: 0.55, output: 4.40),
        "o1-pro": .dollars(input: 150.00, output: 600.00),
        "o3": .dollars(input: 2.00, cachedInput: 0.50, output: 8.00),
        "o3-pro": .dollars(input: 20.00, output: 80.00),
        "o3-mini": .dollars(input: 1.10, cachedInput: 0.55, output: 4.40),
        "o4-mini": .dollars(input: 1.10, cachedInput: 0.275, output: 4.40),
        // OpenAI: embeddings (input only).
        "text-embedding-3-small": .dollars(input: 0.02, output: 0),
        "text-embedding-3-large": .dollars(input: 0.13, output: 0),
        "text-embedding-ada-002": .dollars(input: 0.10, output: 0),

        // Anthropic.
        "claude-opus-4-5": .dollars(input: 5.00, cachedInput: 0.50, output: 25.00, cacheWrite: 6.25),
        "claude-opus-4-1": .dollars(input: 15.00, cachedInput: 1.50, output: 75.00, cacheWrite: 18.75),
        "claude-opus-4": .dollars(input: 15.00, cachedInput: 1.50, output: 75.00, cacheWrite: 18.75),
        "claude-sonnet-4-5": .dollars(input: 3.00, cachedInput: 0.30, output: 15.00, cacheWrite: 3.75),
        "claude-sonnet-4": .dollars(input: 3.00, cachedInput: 0.30, output: 15.00, cacheWrite: 3.75),
        "claude-3-7-sonnet": .dollars(input: 3.00, cachedInput: 0.30, output: 15.00, cacheWrite: 3.75),
        "claude-3-5-sonnet": .dollars(input: 3.00, cachedInput: 0.30, output: 15.00, cacheWrite: 3.75),
        "claude-haiku-4-5": .dollars(input: 1.00, cachedInput: 0.10, output: 5.00, cacheWrite: 1.25),
        "claude-3-5-haiku": .dollars(input: 0.80, cachedInput: 0.08, output: 4.00, cacheWrite: 1.00),
        "claude-3-haiku": .dollars(input: 0.25, cachedInput: 0.03, output: 1.25, cacheWrite: 0.30),
        "claude-3-opus": .dollars(input: 15.00, cachedInput: 1.50, output: 75.00, cacheWrite: 18.75),
    ]
}
