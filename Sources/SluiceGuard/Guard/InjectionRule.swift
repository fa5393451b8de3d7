/// One phrasing of a prompt-injection attempt, as a sequence of word slots over normalised text
/// (lower case, punctuation as spaces, hidden characters removed).
///
/// Written as words split by spaces; `a|b` is a choice, `[a|b]` an optional slot:
/// `ignore|disregard [all] previous|prior instructions|rules`.
struct InjectionRule: Sendable {
    struct Slot: Sendable {
        var words: Set<UInt64>
        var optional: Bool
    }

    /// The rule's name, as a block or flag reports it: `instruction_override`.
    let name: String
    let slots: [Slot]

    init(_ name: String, _ pattern: String) {
        self.name = name
        self.slots = pattern.split(separator: " ").map { token in
            let optional = token.hasPrefix("[")
            let body = optional ? token.dropFirst().dropLast() : token
            return Slot(
                words: Set(body.split(separator: "|").map { Self.hash(Array($0.utf8)[...]) }), optional: optional)
        }
    }

    /// The hashes a first word must have for the rule to be tried.
    var firstWords: Set<UInt64> { slots[0].words }

    /// Whether the rule matches the words starting at `start`.
    func matches(_ words: [UInt64], at start: Int) -> Bool {
        match(words, slot: 0, word: start)
    }

    private func match(_ words: [UInt64], slot: Int, word: Int) -> Bool {
        if slot == slots.count { return true }
        let current = slots[slot]
        if word < words.count, current.words.contains(words[word]), match(words, slot: slot + 1, word: word + 1) {
            return true
        }
        return current.optional && match(words, slot: slot + 1, word: word)
    }

    /// FNV-1a of a word's bytes: words are compared by hash so that no string is built per word.
    static func hash(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }
}
