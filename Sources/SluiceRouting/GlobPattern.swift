/// A model-name pattern from the policy's `models:` keys: `*` stands for any run of characters
/// (none included); every other character stands for itself. A key without `*` is a plain name.
struct GlobPattern: Sendable, Hashable {
    /// The pattern as written.
    let text: String
    /// The literal runs between the stars, as UTF-8 bytes; `a*b*c` has three.
    private let pieces: [[UInt8]]
    /// Whether the pattern has no `*`.
    let isLiteral: Bool
    /// How many characters (UTF-8 bytes) are not `*`: the more, the more specific.
    let literalLength: Int
    /// How many `*` there are: the fewer, the more specific.
    let wildcards: Int

    init(_ text: String) {
        self.text = text
        let bytes = Array(text.utf8)
        pieces = bytes.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false).map(Array.init)
        wildcards = pieces.count - 1
        isLiteral = wildcards == 0
        literalLength = bytes.count - wildcards
    }

    /// Whether `name` matches: the first piece starts it, the last ends it, and the pieces
    /// between occur in order without overlapping (the leftmost match of each is the right one).
    func matches(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard let first = pieces.first, let last = pieces.last else { return false }
        if isLiteral { return bytes == first }
        guard bytes.count >= literalLength, bytes.starts(with: first), bytes.reversed().starts(with: last.reversed())
        else { return false }
        var position = first.count
        let end = bytes.count - last.count
        for piece in pieces.dropFirst().dropLast() where !piece.isEmpty {
            guard let found = Self.find(piece, in: bytes, from: position, to: end) else { return false }
            position = found + piece.count
        }
        return true
    }

    /// Whether this pattern is more specific than `other`: a plain name beats any pattern, then
    /// more literal characters win, then fewer stars, then the text in byte order (so the
    /// choice never depends on the order of the policy's keys).
    func isMoreSpecific(than other: GlobPattern) -> Bool {
        if isLiteral != other.isLiteral { return isLiteral }
        if literalLength != other.literalLength { return literalLength > other.literalLength }
        if wildcards != other.wildcards { return wildcards < other.wildcards }
        return Array(text.utf8).lexicographicallyPrecedes(Array(other.text.utf8))
    }

    /// The first position at or after `start` where `piece` fits wholly before `end`.
    private static func find(_ piece: [UInt8], in bytes: [UInt8], from start: Int, to end: Int) -> Int? {
        guard end - start >= piece.count else { return nil }
        for candidate in start...(end - piece.count)
        where bytes[candidate..<(candidate + piece.count)].elementsEqual(piece) {
            return candidate
        }
        return nil
    }
}
