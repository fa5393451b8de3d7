/// What a model costs, in ``NanoUSD`` per **million** tokens: $2.50 per million is
/// `2_500_000_000`.
public struct ModelPrice: Hashable, Sendable {
    /// Input tokens not read from or written to a prompt cache.
    public var input: NanoUSD
    /// Input tokens read from the prompt cache; the input price when there is no discount.
    public var cachedInput: NanoUSD
    /// Output tokens, reasoning tokens included.
    public var output: NanoUSD
    /// Input tokens written to the prompt cache (Anthropic's 5-minute cache write); nil bills
    /// them as input.
    public var cacheWrite: NanoUSD?

    public init(input: NanoUSD, cachedInput: NanoUSD? = nil, output: NanoUSD, cacheWrite: NanoUSD? = nil) {
        self.input = input
        self.cachedInput = cachedInput ?? input
        self.output = output
        self.cacheWrite = cacheWrite
    }

    /// A price from US dollars per million tokens, as a policy file writes it (`2.50`),
    /// rounded to the nearest nano-dollar.
    public static func dollars(input: Double, cachedInput: Double? = nil, output: Double, cacheWrite: Double? = nil) -> ModelPrice {
        ModelPrice(
            input: nanoUSD(dollars: input),
            cachedInput: cachedInput.map(nanoUSD(dollars:)),
            output: nanoUSD(dollars: output),
            cacheWrite: cacheWrite.map(nanoUSD(dollars:))
        )
    }

    /// `dollars` in billionths, rounded to the nearest; saturates at the ends of `Int64`, and
    /// NaN is 0.
    public static func nanoUSD(dollars: Double) -> NanoUSD {
        let nanos = (dollars * 1e9).rounded()
        guard !nanos.isNaN else { return 0 }
        return NanoUSD(exactly: nanos) ?? (nanos < 0 ? .min : .max)
    }

    /// The cost of `usage` at this price, each token counted once: uncached input at
    /// ``input``, cache reads at ``cachedInput``, cache writes at ``cacheWrite`` (or input),
    /// and output at ``output``; rounded to the nearest nano-dollar, half away from zero.
    ///
    /// The products are summed in `Int128` and divided by a million once, so rounding happens
    /// a single time and 10⁹ tokens at any price cannot overflow; a sum beyond `Int64`
    /// saturates. Negative token counts count as 0, and an uncached part that would be
    /// negative (cached and written tokens reported above the prompt) as 0.
    public func cost(of usage: TokenUsage) -> NanoUSD {
        let cached = max(0, usage.cachedPrompt)
        let written = max(0, usage.cacheWrite)
        let uncached = max(0, max(0, usage.prompt) - cached - written)
        let completion = max(0, usage.completion)

        var sum: Int128 = 0
        var overflow = false
        for (tokens, price) in [
            (uncached, input), (cached, cachedInput), (written, cacheWrite ?? input), (completion, output),
        ] {
            // |tokens|, |price| < 2^63, so each product is below 2^126 and cannot overflow.
            let (next, over) = sum.addingReportingOverflow(Int128(tokens) * Int128(price))
            sum = next
            overflow = overflow || over
        }
        if overflow { return .max }

        let (quotient, remainder) = sum.quotientAndRemainder(dividingBy: 1_000_000)
        var rounded = quotient
        if remainder >= 500_000 { rounded += 1 } else if remainder <= -500_000 { rounded -= 1 }
        return NanoUSD(clamping: rounded)
    }
}
