/// One thing a detector found: its type and where it is, as UTF-8 byte offsets into the scanned
/// text. A finding never carries the value, so printing or logging one cannot leak it.
public struct Finding: Sendable, Hashable, CustomStringConvertible {
    /// What was found.
    public var type: EntityType
    /// Where, in UTF-8 bytes of the scanned text.
    public var range: Range<Int>

    /// A finding of `type` at `range`.
    public init(type: EntityType, range: Range<Int>) {
        self.type = type
        self.range = range
    }

    /// `email@12..30`: the type and place, never the value.
    public var description: String { "\(type.name)@\(range.lowerBound)..\(range.upperBound)" }
}

extension [Finding] {
    /// The findings in text order with overlaps removed: of two overlapping findings the longer
    /// one stays (on a tie, the one listed first), so a masked span never overlaps another.
    func withoutOverlaps() -> [Finding] {
        guard count > 1 else { return self }
        let ordered = enumerated().sorted {
            ($0.element.range.lowerBound, $0.offset) < ($1.element.range.lowerBound, $1.offset)
        }
        var kept: [Finding] = []
        kept.reserveCapacity(count)
        for (_, finding) in ordered {
            guard let last = kept.last, last.range.overlaps(finding.range) else {
                kept.append(finding)
                continue
            }
            if finding.range.count > last.range.count {
                kept.removeLast()
                while let previous = kept.last, previous.range.overlaps(finding.range) {
                    guard previous.range.count < finding.range.count else { break }
                    kept.removeLast()
                }
                if kept.last.map({ !$0.range.overlaps(finding.range) }) ?? true { kept.append(finding) }
            }
        }
        return kept
    }
}
