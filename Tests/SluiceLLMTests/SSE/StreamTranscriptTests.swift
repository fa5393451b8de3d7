import Foundation
import Testing

@testable import SluiceLLM

@Suite("StreamTranscript")
struct StreamTranscriptTests {
    static func chunk(_ delta: String, finish: String = "null") -> String {
        #"data: {"id":"c","object":"chat.completion.chunk","choices":[{"index":0,"delta":\#(delta),"finish_reason":\#(finish)}]}"# + "\n\n"
    }

    @Test("text deltas add up across cuts; a tool call or a finish makes it not resumable")
    func text() {
        var transcript = StreamTranscript()
        let stream = Array((Self.chunk(#"{"role":"assistant","content":""}"#) + Self.chunk(#"{"content":"Hello"}"#)
            + Self.chunk(#"{"content":", wor"}"#)).utf8)
        transcript.feed(stream.prefix(70))
        transcript.feed(stream.dropFirst(70))
        #expect(transcript.text == "Hello, wor")
        #expect(transcript.isResumable)
        var tools = StreamTranscript()
        tools.feed(Array(Self.chunk(#"{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"f","arguments":""}}]}"#).utf8))
        #expect(!tools.isResumable)
        var finished = StreamTranscript()
        finished.feed(Array(Self.chunk("{}", finish: #""stop""#).utf8))
        #expect(!finished.isResumable)
    }

    @Test("the continuation appends the text as a last assistant message, trailing space trimmed")
    func continuation() throws {
        let body = #"{"model":"chat","stream":true,"messages":[{"role":"user","content":"Say hello"}],"max_tokens":50}"#
        let bytes = try #require(StreamTranscript.continuation(of: Array(body.utf8), prefill: "Hello, "))
        let json = try #require(JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        let messages = try #require(json["messages"] as? [[String: String]])
        #expect(messages.last == ["role": "assistant", "content": "Hello,"])
        #expect(json["max_tokens"] as? Int == 50)
        #expect(StreamTranscript.continuation(of: Array(body.utf8), prefill: "  ") == nil)
    }
}
