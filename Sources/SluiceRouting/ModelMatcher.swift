/// Finds the `models:` key that serves a requested model name. Keys may be globs (`gpt-4o*`,
/// `claude-*-sonnet`, `*`); when several match, the most specific wins: the exact name, then
/// the pattern with the most literal characters, then the one with fewest `*`, then the first
/// in byte order. So `gpt-4o-mini` goes to `gpt-4o-mini` if that key exists, else to
/// `gpt-4o-*` over `gpt-4o*` (one more literal character), else to `gpt-*`, else to `*`.
public struct ModelMatcher: Sendable {
    private let exact: Set<String>
    /// The patterns with a `*`, most specific first.
    private let patterns: [GlobPattern]

    /// Creates a matcher for the given `models:` keys.
    public init(keys: some Sequence<String>) {
        var exact: Set<String> = []
        var patterns: [GlobPattern] = []
        for key in keys {
            let pattern = GlobPattern(key)
            if pattern.isLiteral { exact.insert(key) } else { patterns.append(pattern) }
        }
        self.exact = exact
        self.patterns = patterns.sorted { $0.isMoreSpecific(than: $1) }
    }

    /// The key that serves `model`, or nil when none matches.
    public func key(for model: String) -> String? {
        if exact.contains(model) { return model }
        return patterns.first { $0.matches(model) }?.text
    }

    /// The keys with a `*`, most specific first: the order in which they are tried.
    public var patternsBySpecificity: [String] {
        patterns.map(\.text)
    }
}
