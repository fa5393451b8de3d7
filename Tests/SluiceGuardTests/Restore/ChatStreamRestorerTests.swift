import SluiceGuard
import SluiceLLM
import Testing

@Suite("chat stream restorer")
struct ChatStreamRestorerTests {
    static let masks = StreamRestorerTests.masks
    static let answer = "Sure, [EMAIL_1] and [PHONE_1]. Also [EMPLOYEE_ID_1]"
    static let restored = "Sure, zoe@example.com and +44 20 7946 0958. Also EMP-123456"

    /// An OpenAI chat stream whose content deltas are `pieces`, then a finish chunk with an
    /// empty delta, a usage chunk and `[DONE]`.
    static func stream(_ pieces: [String]) -> [UInt8] {
        var bytes: [UInt8] = []
        let head = #""id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o""#
        bytes += SSEWriter.data(
            "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}"
        )
        for piece in pieces {
            bytes += SSEWriter.data(
                "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"content\":\(JSONText.quoted(piece))},\"finish_reason\":null}]}"
            )
        }
        bytes += SSEWriter.data("{\(head),\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}")
        bytes += SSEWriter.data(
            "{\(head),\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":2,\"total_tokens\":3}}")
        bytes += SSEWriter.done
        return bytes
    }

    /// The content the app sees: every `delta.content` of the output, joined; and the events.
    static func content(of output: [UInt8]) throws -> (String, [SSEEvent]) {
        var parser = SSEParser()
        let events = parser.feed(output)
        var text = ""
        for event in events where event.data != "[DONE]" {
            let json = try JSON.parse(Array(event.data.utf8))
            guard case .array(let choices)? = json["choices"] else { continue }
            for choice in choices { text += choice["delta"]?["content"]?.string ?? "" }
        }
        return (text, events)
    }

    static func run(_ input: [UInt8], cuts: [Int] = []) -> [UInt8] {
        var restorer = ChatStreamRestorer(masks: masks)
        var output: [UInt8] = []
        var start = 0
        for cut in cuts + [input.count] {
            output += restorer.feed(input[start..<cut])
            start = cut
        }
        return output + restorer.finish()
    }

    @Test("every split of the answer into two and into three chunks restores exactly")
    func everySplitOfTheAnswer() throws {
        let bytes = Array(Self.answer.utf8)
        var splits: [[String]] = []
        for first in 0...bytes.count {
            splits.append([bytes[..<first], bytes[first...]].map { String(decoding: $0, as: UTF8.self) })
            for second in first...bytes.count {
                splits.append(
                    [bytes[..<first], bytes[first..<second], bytes[second...]].map {
                        String(decoding: $0, as: UTF8.self)
                    })
            }
        }
        for pieces in splits {
            let (text, events) = try Self.content(of: Self.run(Self.stream(pieces)))
            #expect(text == Self.restored, "pieces \(pieces)")
            #expect(events.last?.data == "[DONE]")
        }
    }

    @Test("every cut of the byte stream gives the same output")
    func everyByteCut() throws {
        let input = Self.stream(["Sure, [EMA", "IL_1] and [PHO", "NE_1]. Also [EMPLOYEE_ID_1]"])
        let whole = Self.run(input)
        #expect(try Self.content(of: whole).0 == Self.restored)
        for cut in 0...input.count {
            #expect(Self.run(input, cuts: [cut]) == whole, "cut at \(cut)")
        }
    }

    @Test("held text is delivered before the finish chunk, in a chunk of the stream's own envelope")
    func flushBeforeFinish() throws {
        let output = Self.run(Self.stream(["Mail [EMAIL_1", "]", " or [PHONE_"]))
        let (text, events) = try Self.content(of: output)
        #expect(text == "Mail zoe@example.com or [PHONE_")
        let flushed = events[events.count - 4]
        #expect(flushed.data.contains("\"content\":\"[PHONE_\""))
        #expect(
            flushed.data.hasPrefix(
                #"{"id":"chatcmpl-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0"#
            ))
        #expect(events[events.count - 3].data.contains("\"finish_reason\":\"stop\""))
    }

    @Test("a stream cut off mid-placeholder delivers what it had at finish")
    func cutOff() throws {
        let head = #""id":"c","object":"chat.completion.chunk","created":1,"model":"m""#
        let input = SSEWriter.data(
            "{\(head),\"choices\":[{\"index\":0,\"delta\":{\"content\":\"to [EMAIL_\"},\"finish_reason\":null}]}")
        var restorer = ChatStreamRestorer(masks: Self.masks)
        let first = restorer.feed(input)
        #expect(try Self.content(of: first).0 == "to ")
        let rest = restorer.finish()
        #expect(try Self.content(of: first + rest).0 == "to [EMAIL_")
    }

    @Test("tool-call arguments and several choices are restored each in their own channel")
    func toolCallsAndChoices() throws {
        let head = #""id":"c","object":"chat.completion.chunk","created":1,"model":"m""#
        func chunk(_ choices: String) -> [UInt8] { SSEWriter.data("{\(head),\"choices\":[\(choices)]}") }
        var input: [UInt8] = []
        input += chunk(
            #"{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"send","arguments":"{\"to\":\"[EMA"}}]}}"#
        )
        input += chunk(#"{"index":1,"delta":{"content":"[PHONE"},"finish_reason":null}"#)
        input += chunk(#"{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"IL_1]\"}"}}]}}"#)
        input += chunk(#"{"index":1,"delta":{"content":"_1]!"},"finish_reason":"stop"}"#)
        input += SSEWriter.done
        var parser = SSEParser()
        let events = parser.feed(Self.run(input))
        var arguments = ""
        var content = ""
        for event in events where event.data != "[DONE]" {
            let json = try JSON.parse(Array(event.data.utf8))
            let choice = json["choices"]?[0]
            arguments += choice?["delta"]?["tool_calls"]?[0]?["function"]?["arguments"]?.string ?? ""
            content += choice?["delta"]?["content"]?.string ?? ""
        }
        #expect(arguments == "{\"to\":\"zoe@example.com\"}")
        #expect(content == "+44 20 7946 0958!")
    }

    @Test("legacy completion chunks (choices[].text) are restored")
    func completions() throws {
        var input: [UInt8] = []
        for piece in ["Hi [EM", "AIL_1]", "."] {
            input += SSEWriter.data(
                #"{"id":"c","object":"text_completion","choices":[{"index":0,"text":\#(JSONText.quoted(piece)),"finish_reason":null}]}"#
            )
        }
        input += SSEWriter.done
        var parser = SSEParser()
        var text = ""
        for event in parser.feed(Self.run(input)) where event.data != "[DONE]" {
            text += try JSON.parse(Array(event.data.utf8))["choices"]?[0]?["text"]?.string ?? ""
        }
        #expect(text == "Hi zoe@example.com.")
    }

    @Test("with output redaction on, the model's own findings are masked even when split")
    func outputRedaction() throws {
        var restorer = ChatStreamRestorer(masks: Self.masks, output: RedactionScanner())
        let input = Self.stream(["Reach [EMAIL_1] or bob@exa", "mple.org, card 4111 1111 ", "1111 1111."])
        let (text, _) = try Self.content(of: restorer.feed(input) + restorer.finish())
        #expect(text == "Reach zoe@example.com or [EMAIL_2], card [CREDIT_CARD_1].")
        #expect(restorer.outputCounts.byType == [.email: 1, .creditCard: 1])
    }

    @Test("a recorded OpenAI stream passes through with its events unchanged")
    func recordedStream() throws {
        let fixture = try WireFixture.load("openai-chat-streaming.json")
        var restorer = ChatStreamRestorer(masks: Self.masks)
        let output = restorer.feed(fixture.responseBody) + restorer.finish()
        var inputParser = SSEParser()
        var outputParser = SSEParser()
        #expect(outputParser.feed(output) == inputParser.feed(fixture.responseBody))
    }
}
