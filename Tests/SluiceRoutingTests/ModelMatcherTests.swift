import SluiceRouting
import Testing

@Suite("Model matcher")
struct ModelMatcherTests {
    static let matcher = ModelMatcher(keys: [
        "gpt-4o", "gpt-4o*", "gpt-4o-*", "gpt-*", "*", "claude-*-sonnet*", "claude-*", "*-mini", "o*-preview",
    ])

    @Test(
        "the most specific key wins",
        arguments: [
            ("gpt-4o", "gpt-4o"),  // the exact name beats every pattern
            ("gpt-4o-mini", "gpt-4o-*"),  // 7 literal characters beat 6 ("gpt-4o*") and 3 ("*-mini")
            ("gpt-4o2", "gpt-4o*"),
            ("gpt-4.1", "gpt-*"),
            ("claude-3-5-sonnet-20240620", "claude-*-sonnet*"),
            ("claude-opus-4", "claude-*"),
            ("o1-preview", "o*-preview"),
            ("llama-mini", "*-mini"),
            ("mistral", "*"),
            ("", "*"),
        ])
    func specificity(model: String, key: String) {
        #expect(Self.matcher.key(for: model) == key)
    }

    @Test("the order of the keys does not matter")
    func orderIndependent() {
        let keys = ["gpt-4o*", "gpt-4o-*", "*", "gpt-*", "*-mini"]
        var random = SplitMix64(seed: 4)
        for _ in 0..<50 {
            let matcher = ModelMatcher(keys: keys.shuffled(using: &random))
            #expect(matcher.key(for: "gpt-4o-mini") == "gpt-4o-*")
            #expect(matcher.patternsBySpecificity == ["gpt-4o-*", "gpt-4o*", "*-mini", "gpt-*", "*"])
        }
    }

    @Test("equally specific patterns are decided by their text, not by chance")
    func ties() {
        let matcher = ModelMatcher(keys: ["b*x", "a*x"])
        #expect(matcher.key(for: "abx") == "a*x")
    }

    @Test(
        "matching: stars match any run, literal runs must appear in order without overlapping",
        arguments: [
            ("a*", "a", true), ("a*", "abc", true), ("a*", "ba", false), ("*c", "abc", true), ("*c", "cb", false),
            ("a*c", "ac", true), ("a*c", "abbc", true), ("a*c", "abcd", false), ("a*a", "a", false),
            ("a*b*c", "aXbYc", true), ("a*b*c", "acb", false), ("*b*", "abc", true), ("**", "", true),
            ("a*bb*c", "abbbc", true), ("a*bb*c", "abc", false), ("gpt-4o", "gpt-4o-mini", false),
            ("*é*", "café-au-lait", true),
        ])
    func matching(pattern: String, model: String, matches: Bool) {
        #expect((ModelMatcher(keys: [pattern]).key(for: model) != nil) == matches)
    }

    @Test("no key matches: nil")
    func none() {
        #expect(ModelMatcher(keys: ["gpt-4o", "claude-*"]).key(for: "llama") == nil)
        #expect(ModelMatcher(keys: []).key(for: "x") == nil)
    }
}
