/// The prompt-injection check of `guard.injection`: known jailbreak and instruction-override
/// phrasings, and text hidden from the person reading the prompt.
///
/// Phrasings are matched on words, after lower-casing, turning punctuation into spaces and
/// dropping invisible characters, so `IGNORE   all... previous instructions` and
/// `ig<U+200B>nore previous instructions` are caught alike. Hidden text is:
/// - Unicode tag characters (U+E0000–U+E007F), which smuggle ASCII invisibly;
/// - bidirectional overrides, embeddings and isolates (U+202A–U+202E, U+2066–U+2069), which
///   make text read differently from how it is stored;
/// - zero-width characters (U+200B–U+200D, U+2060–U+2064, U+FEFF, U+180E) inside a word of
///   Latin letters or digits, or two or more of them anywhere. A joiner next to a non-ASCII
///   character (emoji sequences, Indic and Arabic scripts) is normal text and not counted.
public struct InjectionDetector: Sendable {
    /// The rule reported for hidden text.
    public static let hiddenText = "hidden_text"

    private let rules: [InjectionRule]
    private let firstWords: Set<UInt64>
    /// A 1024-bit filter over `firstWords`: most words are turned away by one bit test, before
    /// any set lookup.
    private let firstWordFilter: [UInt64]

    /// The built-in phrasings.
    public init() {
        rules = Self.builtinRules
        firstWords = rules.reduce(into: []) { $0.formUnion($1.firstWords) }
        var filter = [UInt64](repeating: 0, count: 16)
        for hash in firstWords { filter[Int(hash >> 60)] |= 1 << (hash & 63) }
        firstWordFilter = filter
    }

    /// The names of the rules `text` (UTF-8) trips, in rule order; empty when none.
    public func check(_ text: UnsafeRawBufferPointer) -> [String] {
        let normalised = NormalisedText(text)
        var tripped: [String] = []
        if normalised.hasHiddenText { tripped.append(Self.hiddenText) }
        let words = normalised.words
        for start in words.indices {
            let hash = words[start]
            guard firstWordFilter[Int(hash >> 60)] & (1 << (hash & 63)) != 0, firstWords.contains(hash) else {
                continue
            }
            for rule in rules where !tripped.contains(rule.name) && rule.matches(words, at: start) {
                tripped.append(rule.name)
            }
        }
        return tripped
    }

    /// The names of the rules `text` trips.
    public func check(_ text: String) -> [String] {
        var copy = text
        return copy.withUTF8 { check(UnsafeRawBufferPointer($0)) }
    }

    static let builtinRules: [InjectionRule] = [
        InjectionRule(
            "instruction_override",
            "ignore|disregard|forget|override|bypass|skip|neglect [all|any|every|each] [of] "
                + "[the|your|my|these|those|its] previous|prior|above|earlier|preceding|foregoing|former|initial|"
                + "original|system|developer|existing|given instructions|instruction|prompts|prompt|rules|directions|"
                + "guidelines|directives|constraints|commands"),
        InjectionRule(
            "instruction_override",
            "ignore|disregard all|any [of] [the|your] instructions|rules|guidelines|directives|constraints|commands"),
        InjectionRule(
            "instruction_override",
            "[do] not|dont follow|obey [the|your|any] previous|prior|above|system|original instructions|rules|prompt"),
        InjectionRule(
            "role_hijack",
            "you are now|no [longer] [a|an|in] dan|unrestricted|unfiltered|uncensored|jailbroken|evil|developer|"
                + "bound|restricted|limited"),
        InjectionRule(
            "role_hijack",
            "act|pretend|behave|roleplay as [if] [you] [are|were] [a|an] unrestricted|unfiltered|uncensored|"
                + "jailbroken|dan"),
        InjectionRule("role_hijack", "do anything now"),
        InjectionRule("role_hijack", "developer|god|jailbreak|dan mode enabled|activated|on|unlocked"),
        InjectionRule("role_hijack", "enable|enter|activate|switch [to|into|on] developer|god|jailbreak|dan mode"),
        InjectionRule(
            "role_hijack",
            "you have|pretend|imagine no [more] restrictions|rules|limits|limitations|filters|guidelines|boundaries"),
        InjectionRule(
            "role_hijack",
            "free|freed|released from [all|any|your] [of] [your] restrictions|rules|limitations|guidelines|"
                + "constraints|filters"),
        InjectionRule(
            "prompt_leak",
            "reveal|print|show|repeat|output|display|leak|disclose|dump [me] [your|the] [full|entire|complete|hidden|"
                + "secret|original|initial|exact] system|hidden|developer prompt|prompts|instructions"),
    ]
}
