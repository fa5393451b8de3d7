import SluiceGuard
import Testing

@Suite("stream restorer")
struct StreamRestorerTests {
    /// A table with an e-mail, two phones and a custom value, as a request would leave it.
    static let masks: MaskTable = {
        var table = MaskTable()
        _ = table.placeholder(for: "zoe@example.com", type: .email)
        _ = table.placeholder(for: "+44 20 7946 0958", type: .phone)
        _ = table.placeholder(for: "+1 415 555 2671", type: .phone)
        _ = table.placeholder(for: "EMP-123456", type: EntityType("employee_id"))
        return table
    }()

    /// An answer with placeholders at the edges, side by side, next to brackets that are not
    /// placeholders, and a prefix of one at the very end.
    static let answer =
        "[EMAIL_1] wrote: call [PHONE_2][PHONE_1] or see [1], [EMAIL_9], [EMAIL_1 x] and [[EMPLOYEE_ID_1]]. [EMAIL"
    static let restored =
        "zoe@example.com wrote: call +1 415 555 2671+44 20 7946 0958 or see [1], [EMAIL_9], [EMAIL_1 x] and "
        + "[EMP-123456]. [EMAIL"

    /// Feeds `pieces`, checking after each that less than the longest placeholder is held.
    static func run(_ pieces: [String]) -> String {
        var restorer = StreamRestorer(masks: masks)
        var output = ""
        for piece in pieces {
            output += restorer.feed(piece)
            #expect(restorer.heldBytes < masks.longestPlaceholder)
        }
        return output + restorer.finish()
    }

    @Test("whole text")
    func whole() {
        #expect(StreamRestorer.restore(Self.answer, masks: Self.masks) == Self.restored)
        #expect(Self.run([Self.answer]) == Self.restored)
    }

    @Test("every split into two pieces restores exactly the same text")
    func everySplitInTwo() {
        let bytes = Array(Self.answer.utf8)
        for cut in 0...bytes.count {
            let pieces = [
                String(decoding: bytes[..<cut], as: UTF8.self), String(decoding: bytes[cut...], as: UTF8.self),
            ]
            #expect(Self.run(pieces) == Self.restored, "cut at \(cut)")
        }
    }

    @Test("every split into three pieces restores exactly the same text")
    func everySplitInThree() {
        let bytes = Array(Self.answer.utf8)
        var failures = 0
        for first in 0...bytes.count {
            for second in first...bytes.count {
                let pieces = [bytes[..<first], bytes[first..<second], bytes[second...]].map {
                    String(decoding: $0, as: UTF8.self)
                }
                if Self.run(pieces) != Self.restored { failures += 1 }
            }
        }
        #expect(failures == 0)
    }

    @Test("one byte at a time")
    func byteByByte() {
        #expect(Self.run(Self.answer.map { String($0) }) == Self.restored)
    }

    @Test("a stream that ends inside a placeholder delivers what it had")
    func endsMidPlaceholder() {
        var restorer = StreamRestorer(masks: Self.masks)
        #expect(restorer.feed("Write to [EMA") == "Write to ")
        #expect(restorer.feed("IL_") == "")
        #expect(restorer.heldBytes == 7)
        #expect(restorer.finish() == "[EMAIL_")
    }

    @Test("text that cannot start a placeholder is never held")
    func noNeedlessHolding() {
        var restorer = StreamRestorer(masks: Self.masks)
        #expect(restorer.feed("array[") == "array")
        #expect(restorer.feed("0] and [X") == "[0] and [X")
        #expect(restorer.heldBytes == 0)
        #expect(restorer.feed("[EMAIL_10") == "[EMAIL_10")
    }

    @Test("an empty table passes text straight through")
    func emptyTable() {
        var restorer = StreamRestorer(masks: MaskTable())
        #expect(restorer.feed("[EMA") == "[EMA")
        #expect(restorer.finish() == "")
    }

    @Test("values restored inside JSON text are escaped for it")
    func jsonEscaping() {
        var table = MaskTable()
        _ = table.placeholder(for: "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----", type: .secret)
        var restorer = StreamRestorer(masks: table, escapesForJSON: true)
        #expect(
            restorer.feed("{\"key\":\"[SECRET_1]\"}")
                == "{\"key\":\"-----BEGIN PRIVATE KEY-----\\nAAAA\\n-----END PRIVATE KEY-----\"}")
    }
}
