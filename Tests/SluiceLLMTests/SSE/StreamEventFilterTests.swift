import Testing

@testable import SluiceLLM

@Suite("StreamEventFilter")
struct StreamEventFilterTests {
    static let content = #"data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}"# + "\n\n"
    static let usage = #"data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}}"# + "\n\n"
    static let done = "data: [DONE]\n\n"

    @Test("drops the usage chunk and keeps every other byte, however the stream is cut")
    func dropsUsage() {
        let stream = Array((Self.content + Self.content + Self.usage + Self.done).utf8)
        let expected = Array((Self.content + Self.content + Self.done).utf8)
        for cut in [1, 2, 3, 7, 50, 1000] {
            var filter = StreamEventFilter(dropsUsage: true)
            var output: [UInt8] = []
            var index = 0
            while index < stream.count {
                let end = min(stream.count, index + cut)
                output += filter.feed(stream[index..<end])
                index = end
            }
            output += filter.finish()
            #expect(output == expected, "cut every \(cut) bytes")
            #expect(filter.dropped)
        }
    }

    @Test("hands over the usage object and counts the chunks, however the stream is cut; a malformed chunk counts for neither")
    func usageAndChunks() {
        let malformed = #"data: {"choices":[{"delta":{"content":"x"}}],"usage":{"prompt_tokens":99"# + "\n\n"
        let lateUsage = #"data: {"choices":[{"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":4}}"# + "\n\n"
        for (stream, usage, chunks) in [
            (Self.content + Self.content + Self.usage + Self.done, #"{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}"#, 3),
            (Self.content + malformed + lateUsage + Self.done, #"{"prompt_tokens":3,"completion_tokens":4}"#, 2),
            (Self.content + Self.done, nil, 1),
        ] {
            let bytes = Array(stream.utf8)
            for cut in [1, 5, 1000] {
                var filter = StreamEventFilter(dropsUsage: false)
                var taken: [UInt8]?
                var index = 0
                while index < bytes.count {
                    let end = min(bytes.count, index + cut)
                    _ = filter.feed(bytes[index..<end])
                    if let usage = filter.takeUsage() { taken = usage }
                    index = end
                }
                #expect(taken.map { String(decoding: $0, as: UTF8.self) } == usage, "cut every \(cut) bytes")
                #expect(filter.chunks == chunks)
                #expect(filter.takeUsage() == nil)
            }
        }
    }

    @Test("CRLF framing and a spaced choices array are recognised")
    func crlf() {
        let usage = #"data:{"choices": [ ],"usage":{"prompt_tokens":1}}"# + "\r\n\r\n"
        var filter = StreamEventFilter(dropsUsage: true)
        let out1 = filter.feed(Array(usage.utf8))
        #expect(out1 == [])
        #expect(filter.dropped)
    }

    @Test(
        "an event read in place from its first line break is classified as the full walk over its lines does",
        arguments: [
            Self.content, Self.usage, Self.done, "data: [DONE]\r\n\r\n",
            #"data:{"choices":[],"usage":{"a":1}}"# + "\r\n\r\n", "data: {bad\n\n", "data: {\"a\":1\r}\n\n",
            "data: {\"usage\":{}}\r\n\n", "event: x\n\n", ": ping\n\n", "data\n\n", "data:\n\n", "id: 1\ndata: {}\n\n",
            "data: {\"choices\":[]\ndata: ,\"usage\":{}}\n\n", "DATA: {}\n\n",
        ])
    func inPlaceMatchesFullWalk(_ event: String) throws {
        let bytes = Array(event.utf8)
        let firstBreak = try #require(bytes.firstIndex { $0 == 0x0A || $0 == 0x0D })
        bytes.withUnsafeBytes { buffer in
            let fast = StreamEventFilter.classify(buffer, firstBreak: firstBreak)
            let full = StreamEventFilter.classify(buffer)
            #expect(fast.0 == full.0)
            #expect(fast.usage == full.usage)
        }
    }

    @Test("bytes that cannot be the usage chunk are not held back")
    func passesThrough() {
        var filter = StreamEventFilter(dropsUsage: true)
        let out2 = filter.feed(Array(": keep-alive\n".utf8))
        #expect(out2 == Array(": keep-alive".utf8))
        let out3 = filter.feed(Array("\nevent: x\n\n".utf8))
        #expect(out3 == Array("\n\nevent: x\n\n".utf8))
        let out4 = filter.feed(Array("ab".utf8))
        #expect(out4 == Array("ab".utf8))
        let out5 = filter.finish()
        #expect(out5 == [])
        // A content chunk is held only until its blank line.
        let out6 = filter.feed(Array(Self.content.utf8).dropLast(2))
        #expect(out6 == [])
        #expect(!filter.dropped)
    }

    @Test("a malformed chunk is taken out and counted; [DONE] is noted; the usage chunk stays when the app asked")
    func malformedAndDone() {
        var filter = StreamEventFilter(dropsUsage: false)
        let broken = #"data: {"choices":[{"delta":{"content":"x"}"# + "\n\n"
        let out = filter.feed(Array((Self.content + broken + Self.usage + Self.done).utf8))
        #expect(out == Array((Self.content + Self.usage + Self.done).utf8))
        #expect(filter.malformed == 1)
        #expect(filter.sawDone)
        #expect(!filter.dropped)
    }

    @Test("an event with other fields, or data over several lines, is read as SSE joins it, not dropped")
    func otherFields() {
        var filter = StreamEventFilter(dropsUsage: true)
        let withID = "data: {\"choices\":[{\"delta\":{\"content\":\"a\"}}]}\nid: 7\n\n"
        let split = "data: {\"choices\":\ndata: [{\"delta\":{\"content\":\"b\"}}]}\n\n"
        let out = filter.feed(Array((withID + split).utf8))
        #expect(out == Array((withID + split).utf8))
        #expect(filter.malformed == 0)
        #expect(filter.sawChunk)
    }
}

extension StreamEventFilterTests {
    @Test("a read of whole events that all pass is unchanged (no copy); a cut read is not")
    func unchanged() {
        var filter = StreamEventFilter(dropsUsage: true)
        let whole = Array((Self.content + Self.content).utf8)
        let first = whole.withUnsafeBytes { filter.filter($0) }
        #expect(first == .unchanged)
        let cut = Array(Self.content.utf8)
        let held = cut.prefix(20).withUnsafeBytes { filter.filter(UnsafeRawBufferPointer($0)) }
        #expect(held == .bytes([]))
        let rest = cut.dropFirst(20).withUnsafeBytes { filter.filter(UnsafeRawBufferPointer($0)) }
        #expect(rest == .bytes(cut))
    }
}

extension StreamEventFilterTests {
    @Test("keys are read as they decode: an escaped usage key is the usage, a usage or choices key twice is malformed")
    func keysAsTheyDecode() {
        var filter = StreamEventFilter(dropsUsage: true)
        let escaped = #"data: {"choices":[],"us\u0061ge":{"prompt_tokens":5,"completion_tokens":2}}"# + "\n\n"
        #expect(filter.feed(Array((Self.content + escaped).utf8)) == Array(Self.content.utf8))
        #expect(filter.dropped)
        #expect(filter.takeUsage() == Array(#"{"prompt_tokens":5,"completion_tokens":2}"#.utf8))

        var strict = StreamEventFilter(dropsUsage: true)
        let twiceUsage = #"data: {"choices":[],"usage":{"prompt_tokens":1},"usage":{"prompt_tokens":9}}"# + "\n\n"
        let twiceChoices = #"data: {"choices":[{"delta":{"content":"a"}}],"choices":[]}"# + "\n\n"
        let trailing = #"data: {"choices":[]} {}"# + "\n\n"
        let out = strict.feed(Array((twiceUsage + twiceChoices + trailing + Self.content).utf8))
        #expect(out == Array(Self.content.utf8))
        #expect(strict.malformed == 3)
        #expect(strict.takeUsage() == nil)
    }

    @Test("a usage key that is not an object is no usage; a choices array with members is no usage chunk")
    func usageShapes() {
        var filter = StreamEventFilter(dropsUsage: true)
        let nullUsage = #"data: {"choices":[],"usage":null}"# + "\n\n"
        let withChoices = #"data: {"choices":[{"delta":{}}],"usage":{"prompt_tokens":4}}"# + "\n\n"
        let out = filter.feed(Array((nullUsage + withChoices).utf8))
        #expect(out == Array((nullUsage + withChoices).utf8))
        #expect(!filter.dropped)
        #expect(filter.takeUsage() == Array(#"{"prompt_tokens":4}"#.utf8))
        #expect(filter.chunks == 2)
    }
}

extension StreamEventFilterTests {
    @Test("usage handed over where it lies: each object in order, the bytes takeUsage would copy, however cut")
    func usageInPlace() {
        let lateUsage = #"data: {"choices":[],"usage":{"prompt_tokens":3,"completion_tokens":4}}"# + "\n\n"
        let bytes = Array((Self.content + Self.usage + Self.content + lateUsage + Self.done).utf8)
        for cut in [1, 7, 1000] {
            var inPlace = StreamEventFilter(dropsUsage: true)
            var copying = StreamEventFilter(dropsUsage: true)
            var handed: [String] = []
            var taken: [String] = []
            var index = 0
            while index < bytes.count {
                let part = Array(bytes[index..<min(bytes.count, index + cut)])
                let fromInPlace = part.withUnsafeBytes { buffer in
                    inPlace.filter(buffer) { handed.append(String(decoding: $0, as: UTF8.self)) }
                }
                let fromCopying = part.withUnsafeBytes { copying.filter($0) }
                #expect(fromInPlace == fromCopying, "cut every \(cut) bytes")
                if let usage = copying.takeUsage() { taken.append(String(decoding: usage, as: UTF8.self)) }
                index += cut
            }
            #expect(handed == [
                #"{"prompt_tokens":9,"completion_tokens":1,"total_tokens":10}"#,
                #"{"prompt_tokens":3,"completion_tokens":4}"#,
            ])
            // A copy keeps the latest object of each read; the sniffer, handed each, keeps the latest too.
            #expect(taken.last == handed.last, "cut every \(cut) bytes")
            #expect(inPlace.takeUsage() == nil)
            #expect(inPlace.chunks == copying.chunks && inPlace.dropped == copying.dropped)
        }
    }
}
