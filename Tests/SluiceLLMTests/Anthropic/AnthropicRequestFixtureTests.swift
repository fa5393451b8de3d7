import SluiceLLM
import Testing

/// OpenAI requests that ask for what each recorded Anthropic request asked for, translated and
/// compared with the recorded body as parsed JSON (key order and spacing aside).
@Suite("Anthropic request translation against the recordings")
struct AnthropicRequestFixtureTests {
    /// The two tools of the weather recordings, as an OpenAI client declares them.
    static let weatherTools = """
        [{"type":"function","function":{"name":"get_weather",\
        "description":"Get the current weather in a given location",\
        "parameters":{"type":"object","properties":{\
        "location":{"type":"string","description":"The city and state, e.g. San Francisco, CA"},\
        "unit":{"type":"string","enum":["celsius","fahrenheit"],\
        "description":"The unit of temperature, either 'celsius' or 'fahrenheit'"}},"required":["location"]}}},\
        {"type":"function","function":{"name":"get_time","description":"Get the current time in a given time zone",\
        "parameters":{"type":"object","properties":{"timezone":{"type":"string",\
        "description":"The IANA time zone name, e.g. America/Los_Angeles"}},"required":["timezone"]}}}]
        """

    static let translatable = AnthropicTestSupport.fixtures.filter {
        $0 != "anthropic-messages-error-invalid-request.json"
    }

    /// The OpenAI request for recording `name`; long texts are taken from the recording itself.
    static func openAIRequest(_ name: String, recorded: JSONValue) -> String {
        func text(_ message: Int, _ part: Int) -> String {
            JSONText.quoted(recorded["messages"]?[message]?["content"]?[part]?["text"]?.string ?? "")
        }
        let joke = #"[{"role":"user","content":"Tell me a joke about OpenTelemetry"}]"#
        let strawberry =
            #"[{"role":"user","content":[{"type":"text","text":"How many times does the letter 'r' appear in the word strawberry?"}]}]"#
        let thinking = #""thinking":{"type":"enabled","budget_tokens":1024}"#
        let system = JSONText.quoted(recorded["system"]?[0]?["text"]?.string ?? "")
        let cached = """
            [{"role":"system","content":[{"type":"text","text":\(system)}]},\
            {"role":"user","content":[{"type":"text","text":\(text(0, 0)),"cache_control":{"type":"ephemeral"}}]}]
            """
        switch name {
        case "anthropic-messages-basic.json":
            return #"{"model":"claude-3-opus-20240229","max_tokens":1024,"messages":\#(joke)}"#
        case "anthropic-messages-streaming.json":
            return #"""
                {"model":"claude-3-haiku-20240307","max_tokens":1024,"messages":\#(joke),
                 "stream":true,"stream_options":{"include_usage":true}}
                """#
        case "anthropic-messages-tools.json":
            return #"""
                {"model":"claude-3-5-sonnet-20240620","max_tokens":1024,"tools":\#(weatherTools),"messages":[
                 {"role":"user","content":"What is the weather like right now in New York? Also what time is it there now?"}]}
                """#
        case "anthropic-messages-tool-result.json":
            return #"""
                {"model":"claude-3-5-haiku-20241022","max_completion_tokens":1024,"tools":\#(weatherTools),"messages":[
                 {"role":"user","content":"What is the weather and current time in San Francisco?"},
                 {"role":"assistant","content":"I'll help you get the weather and current time in San Francisco.",
                  "tool_calls":[{"id":"call_1","type":"function",
                   "function":{"name":"get_weather","arguments":"{\"location\": \"San Francisco, CA\"}"}}]},
                 {"role":"tool","tool_call_id":"call_1","content":"Sunny and 65 degrees Fahrenheit"}]}
                """#
        case "anthropic-messages-streaming-tools.json":
            return #"""
                {"model":"claude-3-5-sonnet-20240620","max_tokens":1024,"stream":true,"tools":\#(weatherTools),
                 "messages":[{"role":"user","content":"What is the weather and current time in San Francisco?"}]}
                """#
        case "anthropic-messages-streaming-tools-sonnet-4-6.json":
            return #"""
                {"model":"claude-sonnet-4-6","max_tokens":1024,"stream":true,"tools":\#(weatherTools),"tool_choice":null,
                 "messages":[{"role":"user","content":"What is the weather like right now in New York? Also what time is it there? Use necessary tools simultaneously."}]}
                """#
        case "anthropic-messages-thinking.json":
            return #"{"model":"claude-3-7-sonnet-20250219","max_tokens":2048,"messages":\#(strawberry),\#(thinking)}"#
        case "anthropic-messages-streaming-thinking.json":
            return #"""
                {"model":"claude-3-7-sonnet-20250219","max_tokens":2048,"messages":\#(strawberry),\#(thinking),"stream":true}
                """#
        case "anthropic-messages-streaming-thinking-redacted.json":
            return #"""
                {"model":"claude-sonnet-4-5-20250929","max_tokens":4096,"stream":true,\#(thinking),
                 "messages":[{"role":"user","content":[{"type":"text","text":\#(text(0, 0))}]}]}
                """#
        case "anthropic-messages-cache-write.json", "anthropic-messages-cache-read.json":
            return #"{"model":"claude-3-5-sonnet-20240620","max_tokens":1024,"messages":\#(cached)}"#
        case "anthropic-messages-streaming-cache-read.json":
            return #"{"model":"claude-3-5-sonnet-20240620","max_tokens":1024,"messages":\#(cached),"stream":true}"#
        case "anthropic-messages-error-authentication.json":
            return #"""
                {"model":"claude-3-opus-20240229","max_tokens":15,"temperature":0.8,"messages":[
                 {"role":"system","content":"Respond only in all caps."},
                 {"role":"user","content":[{"type":"text","text":"Hello, I am looking for information about some books!"},
                  {"type":"text","text":"What is the best selling book?"}]}]}
                """#
        case "anthropic-messages-error-not-found.json":
            return #"""
                {"model":"claude-sonet-4-5","stream":false,"messages":[{"role":"user","content":[{"type":"text","text":"hello"}]}]}
                """#
        default:
            return ""
        }
    }

    @Test("every recorded request has a counterpart here")
    func coverage() {
        #expect(AnthropicTestSupport.fixtures.count == 15)
        #expect(Self.translatable.count == 14)
    }

    @Test("the OpenAI request translates to the recorded Anthropic body", arguments: translatable)
    func matchesRecording(name: String) throws {
        let fixture = WireFixture.load(name)
        let recorded = try #require(JSONValue.parse(fixture.request.bytes))
        let openAI = Self.openAIRequest(name, recorded: recorded)
        try #require(!openAI.isEmpty, "no OpenAI request written for \(name)")
        let translator = AnthropicRequestTranslator(defaultMaxTokens: 4096)
        let request = try translator.translate(Array(openAI.utf8))
        let translated = try #require(JSONValue.parse(request.body))
        #expect(translated == recorded, "\(name):\n\(String(decoding: request.body, as: UTF8.self))")
        #expect(request.model == recorded["model"]?.string)
        #expect(request.isStream == (recorded["stream"] == .bool(true)))
        #expect(request.includeUsage == (name == "anthropic-messages-streaming.json"))
    }

    @Test("the recorded anthropic-version is the one Sluice sends", arguments: AnthropicTestSupport.fixtures)
    func version(name: String) {
        let recordedVersion = WireFixture.load(name).request.headers["anthropic-version"]
        #expect(recordedVersion == nil || recordedVersion == AnthropicRequest.version)
    }

    @Test("the recorded invalid request is refused before it leaves, naming the field")
    func invalidRecording() throws {
        let fixture = WireFixture.load("anthropic-messages-error-invalid-request.json")
        // The recording sent `messages: ["Invalid content"]`; the same in OpenAI's dialect.
        let openAI = #"{"model":"claude-3-opus-20240229","max_tokens":15,"messages":["Invalid content"]}"#
        let error = #expect(throws: SluiceError.self) {
            try AnthropicRequestTranslator().translate(Array(openAI.utf8))
        }
        #expect(error?.param == "messages[0]")
        #expect(error?.httpStatus == fixture.response.status)
        #expect(error?.code.anthropicType == "invalid_request_error")
    }

    @Test("the target's model name replaces the app's")
    func modelOverride() throws {
        let openAI = #"{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}]}"#
        let request = try AnthropicRequestTranslator().translate(Array(openAI.utf8), model: "claude-sonnet-4-5")
        #expect(request.model == "claude-sonnet-4-5")
        #expect(JSONValue.parse(request.body)?["model"] == .string("claude-sonnet-4-5"))
        #expect(JSONValue.parse(request.body)?["max_tokens"] == .number(4096))
    }
}
