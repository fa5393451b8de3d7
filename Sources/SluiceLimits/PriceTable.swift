/// Prices of provider models, for turning usage into spend: the shipped defaults
/// (``defaultPrices``) under the policy's overrides.
///
/// ``price(provider:model:)`` looks for, in order:
///
/// 1. an override keyed `provider/model`, then one keyed `model`;
/// 2. a default for `model`;
/// 3. the same three for the longest *dated-variant* prefix of `model`: the name with trailing
///    `-`-separated segments removed, where every removed segment is all digits or `latest`
///    (`gpt-4o-2024-08-06` → `gpt-4o`, `claude-sonnet-4-5-20250929` → `claude-sonnet-4-5`,
///    `claude-3-7-sonnet-latest` → `claude-3-7-sonnet`, `claude-sonnet-4-0` →
///    `claude-sonnet-4`).
///
/// Only version-like segments are removed, so a different model is never priced as its base:
/// `gpt-4o-mini` is not `gpt-4o`, and `o3-pro` (ten times `o3`'s price) is not `o3`; an
/// unknown model has no price rather than a wrong one. Names compare case-insensitively.
public struct PriceTable: Sendable {
    /// Lower-cased keys: `provider/model` or `model`.
    private let overrides: [String: ModelPrice]
    /// Lower-cased model names.
    private let defaults: [String: ModelPrice]

    /// A table of `overrides` (keyed `provider/model` or `model`) over, unless
    /// `includeDefaults` is false, the shipped ``defaultPrices``.
    public init(overrides: [String: ModelPrice] = [:], includeDefaults: Bool = true) {
        self.overrides = Self.lowercasedKeys(overrides)
        self.defaults = includeDefaults ? Self.lowercasedKeys(Self.defaultPrices) : [:]
    }

    /// The shipped defaults alone.
    public static let defaults = PriceTable()

    /// The price of `model` at `provider` (`openai`, `anthropic`, `azure`, …), or nil when
    /// neither the overrides nor the defaults know it.
    public func price(provider: String, model: String) -> ModelPrice? {
        let provider = provider.lowercased()
        var candidate = Substring(model.lowercased())
        while true {
            if let price = exactPrice(provider: provider, model: candidate) { return price }
            guard let dash = candidate.lastIndex(of: "-"), dash > candidate.startIndex else { return nil }
            let segment = candidate[candidate.index(after: dash)...]
            guard Self.isVersionSegment(segment) else { return nil }
            candidate = candidate[..<dash]
        }
    }

    /// The cost of `usage` at `price` (``ModelPrice/cost(of:)``).
    public func cost(of usage: TokenUsage, price: ModelPrice) -> NanoUSD {
        price.cost(of: usage)
    }

    /// The cost of `usage` on `model` at `provider`, or nil when the model has no price.
    public func cost(of usage: TokenUsage, provider: String, model: String) -> NanoUSD? {
        price(provider: provider, model: model).map { $0.cost(of: usage) }
    }

    private func exactPrice(provider: String, model: Substring) -> ModelPrice? {
        let model = String(model)
        return overrides["\(provider)/\(model)"] ?? overrides[model] ?? defaults[model]
    }

    /// A trailing name segment that marks a dated or versioned variant of the same model.
    private static func isVersionSegment(_ segment: Substring) -> Bool {
        if segment == "latest" { return true }
        return !segment.isEmpty && segment.allSatisfy { $0.isASCII && $0.isNumber }
    }

    private static func lowercasedKeys(_ prices: [String: ModelPrice]) -> [String: ModelPrice] {
        Dictionary(prices.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
    }
}
