import SluiceGuard
import Testing

/// Precision and recall of each built-in detector over the labelled corpus.
///
/// A finding is a true positive when it covers the whole of an expected span of its type; a
/// finding that overlaps no expected span of its type is a false positive; an expected span no
/// finding of its type covers is a false negative. (A finding that covers only part of a value
/// leaves the rest in the clear, so it does not count as recall.)
@Suite("corpus precision and recall")
struct CorpusTests {
    struct Tally {
        var truePositives = 0
        var falsePositives = 0
        var falseNegatives = 0
        var precision: Double {
            truePositives + falsePositives == 0 ? 1 : Double(truePositives) / Double(truePositives + falsePositives)
        }
        var recall: Double {
            truePositives + falseNegatives == 0 ? 1 : Double(truePositives) / Double(truePositives + falseNegatives)
        }
    }

    @Test("every detector has precision ≥ 0.98 and recall ≥ 0.95")
    func precisionAndRecall() throws {
        let cases = try Corpus.load()
        let scanner = RedactionScanner()
        var tallies: [String: Tally] = [:]
        var bySource: [String: (positives: Int, negatives: Int)] = [:]
        var mistakes: [String] = []
        for item in cases {
            let findings = scanner.scan(item.text)
            bySource[item.source, default: (0, 0)].positives += item.expected.isEmpty ? 0 : 1
            bySource[item.source, default: (0, 0)].negatives += item.expected.isEmpty ? 1 : 0
            for expected in item.expected {
                let covered = findings.contains {
                    $0.type.name == expected.type && $0.range.lowerBound <= expected.range.lowerBound
                        && $0.range.upperBound >= expected.range.upperBound
                }
                if covered {
                    tallies[expected.type, default: Tally()].truePositives += 1
                } else {
                    tallies[expected.type, default: Tally()].falseNegatives += 1
                    mistakes.append("missed \(expected.type) in [\(item.source)] \(item.text.debugDescription)")
                }
            }
            for finding in findings {
                let matches = item.expected.contains {
                    $0.type == finding.type.name && $0.range.overlaps(finding.range)
                }
                if !matches {
                    tallies[finding.type.name, default: Tally()].falsePositives += 1
                    mistakes.append("false \(finding) in [\(item.source)] \(item.text.debugDescription)")
                }
            }
        }
        print(
            "corpus: \(cases.count) snippets; positives/negatives by source: "
                + bySource.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value.positives)/\($0.value.negatives)" }
                .joined(separator: ", "))
        print("detector      TP   FP   FN  precision  recall")
        for detector in BuiltinDetector.allCases {
            let tally = tallies[detector.rawValue, default: Tally()]
            print(
                detector.rawValue.padding(12) + String(tally.truePositives).leftPadding(5)
                    + String(tally.falsePositives).leftPadding(5) + String(tally.falseNegatives).leftPadding(5)
                    + format(tally.precision).leftPadding(11) + format(tally.recall).leftPadding(8))
            #expect(tally.truePositives > 0, "no positives for \(detector.rawValue)")
            #expect(tally.precision >= 0.98, "\(detector.rawValue) precision")
            #expect(tally.recall >= 0.95, "\(detector.rawValue) recall")
        }
        for mistake in mistakes.sorted().prefix(80) { print("  " + mistake) }
        let positives = bySource.values.reduce(0) { $0 + $1.positives }
        let negatives = bySource.values.reduce(0) { $0 + $1.negatives }
        #expect(positives >= 300)
        #expect(negatives >= 300)
    }

    private func format(_ value: Double) -> String {
        let thousandths = Int((value * 1000).rounded())
        return "\(thousandths / 1000).\(String(thousandths % 1000).leftPadding(3, with: "0"))"
    }
}

extension String {
    fileprivate func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }

    fileprivate func leftPadding(_ width: Int, with pad: Character = " ") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
