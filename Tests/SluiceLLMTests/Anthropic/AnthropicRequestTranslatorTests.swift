import SluiceLLM
import Testing

@Suite("Anthropic request translation, field by field")
struct AnthropicRequestTranslatorTests {
    /// The Anthropic body for an OpenAI request with `fields` added to a one-message request.
    static func translate(_ fields: String, messages: String = #"[{"role":"user","content":"hi"}]"#) throws
        -> JSONValue
    {
        let comma = fields.isEmpty ? "" : ","
        let body = #"{"model":"gpt-4o","messages":\#(messages)\#(comma)\#(fields)}"#
        let request = try AnthropicRequestTranslator().translate(Array(body.utf8))
        return try #require(JSONValue.parse(request.body))
    }

    /// The error for an OpenAI request with `fields` and `messages`.
    static func failure(_ fields: String, messages: String = #"[{"role":"user","content":"hi"}]"#) -> SluiceError? {
        #expect(throws: SluiceError.self) { try translate(fields, messages: messages) }
    }

    static func value(_ json: String) -> JSONValue? {
        JSONValue.parse(Array(json.utf8))
    }

    @Test("system and developer messages are hoisted, in order, wherever they stand")
    func system() throws {
        let messages = #"""
            [{"role":"system","content":"Be brief."},{"role":"user","content":"hi"},
             {"role":"developer","content":[{"type":"text","text":"Use French.","cache_control":{"type":"ephemeral"}}]},
             {"role":"assistant","content":"Salut"},{"role":"user","content":"Why?"}]
            """#
        let body = try Self.translate("", messages: messages)
        #expect(
            body["system"]
                == Self.value(
                    #"[{"type":"text","text":"Be brief."},{"type":"text","text":"Use French.","cache_control":{"type":"ephemeral"}}]"#
                ))
        #expect(body["messages"]?.array?.map { $0["role"]?.string } == ["user", "assistant", "user"])
        #expect(body["messages"]?[1]?["content"]?.string == "Salut")
    }

    @Test("images: data URLs become base64 sources, http URLs url sources")
    func images() throws {
        let messages = #"""
            [{"role":"user","content":[{"type":"text","text":"What is this?"},
             {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"high"}},
             {"type":"image_url","image_url":{"url":"https://example.com/cat.jpg"}},
             {"type":"image_url","image_url":"data:IMAGE/JPEG;base64,/9j/4AAQ"}]}]
            """#
        let content = try #require(try Self.translate("", messages: messages)["messages"]?[0]?["content"])
        #expect(
            content
                == Self.value(
                    #"""
                    [{"type":"text","text":"What is this?"},
                     {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}},
                     {"type":"image","source":{"type":"url","url":"https://example.com/cat.jpg"}},
                     {"type":"image","source":{"type":"base64","media_type":"image/jpeg","data":"/9j/4AAQ"}}]
                    """#))
    }

    @Test(
        "images Anthropic cannot read are refused, naming the part",
        arguments: [
            "data:image/tiff;base64,AAAA", "data:image/png,plain", "ftp://example.com/a.png", "data:image/png;base64,",
        ])
    func badImages(url: String) {
        let messages = #"[{"role":"user","content":[{"type":"image_url","image_url":{"url":"\#(url)"}}]}]"#
        let error = Self.failure("", messages: messages)
        #expect(error?.param == "messages[0].content[0].image_url.url")
        #expect(error?.httpStatus == 400)
    }

    @Test("a PDF file part becomes a document; file ids and audio are refused")
    func files() throws {
        let pdf = #"""
            [{"role":"user","content":[{"type":"file","file":{"filename":"a.pdf","file_data":"data:application/pdf;base64,JVBERi0="}}]}]
            """#
        #expect(
            try Self.translate("", messages: pdf)["messages"]?[0]?["content"]?[0]
                == Self.value(
                    #"{"type":"document","source":{"type":"base64","media_type":"application/pdf","data":"JVBERi0="},"title":"a.pdf"}"#
                ))
        let fileID = #"[{"role":"user","content":[{"type":"file","file":{"file_id":"file-abc"}}]}]"#
        #expect(Self.failure("", messages: fileID)?.param == "messages[0].content[0].file.file_id")
        let audio = #"[{"role":"user","content":[{"type":"input_audio","input_audio":{"data":"x","format":"wav"}}]}]"#
        #expect(Self.failure("", messages: audio)?.param == "messages[0].content[0].type")
    }

    @Test("tool calls become tool_use blocks; consecutive tool results merge into one user turn")
    func toolRoundTrip() throws {
        let messages = #"""
            [{"role":"user","content":"Weather and time in Paris?"},
             {"role":"assistant","content":null,"tool_calls":[
               {"id":"call_a","type":"function","function":{"name":"get_weather","arguments":"{\"location\":\"Paris\"}"}},
               {"id":"call_b","type":"function","function":{"name":"get_time","arguments":""}}]},
             {"role":"tool","tool_call_id":"call_a","content":"Rain, 12 C"},
             {"role":"tool","tool_call_id":"call_b","content":[{"type":"text","text":"14:05"}]},
             {"role":"user","content":"Thanks"}]
            """#
        let body = try Self.translate("", messages: messages)
        #expect(
            body["messages"]
                == Self.value(
                    #"""
                    [{"role":"user","content":"Weather and time in Paris?"},
                     {"role":"assistant","content":[
                       {"type":"tool_use","id":"call_a","name":"get_weather","input":{"location":"Paris"}},
                       {"type":"tool_use","id":"call_b","name":"get_time","input":{}}]},
                     {"role":"user","content":[
                       {"type":"tool_result","tool_use_id":"call_a","content":"Rain, 12 C"},
                       {"type":"tool_result","tool_use_id":"call_b","content":[{"type":"text","text":"14:05"}]}]},
                     {"role":"user","content":"Thanks"}]
                    """#))
    }

    @Test("arguments that are not a JSON object are refused, naming the call")
    func badArguments() {
        let messages = #"""
            [{"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"f","arguments":"[1]"}}]}]
            """#
        #expect(Self.failure("", messages: messages)?.param == "messages[0].tool_calls[0].function.arguments")
    }

    @Test("an assistant message with nothing in it is left out")
    func emptyAssistant() throws {
        let messages =
            #"[{"role":"user","content":"a"},{"role":"assistant","content":""},{"role":"user","content":"b"}]"#
        #expect(try Self.translate("", messages: messages)["messages"]?.array?.count == 2)
    }

    @Test(
        "tool_choice maps to Anthropic's",
        arguments: [
            (#""auto""#, #"{"type":"auto"}"#), (#""none""#, #"{"type":"none"}"#), (#""required""#, #"{"type":"any"}"#),
            (#"{"type":"function","function":{"name":"get_time"}}"#, #"{"type":"tool","name":"get_time"}"#),
        ])
    func toolChoice(choice: String, expected: String) throws {
        let tools = #""tools":[{"type":"function","function":{"name":"get_time"}}]"#
        let body = try Self.translate("\(tools),\"tool_choice\":\(choice)")
        #expect(body["tool_choice"] == Self.value(expected))
        #expect(
            body["tools"]
                == Self.value(#"[{"name":"get_time","input_schema":{"type":"object","properties":{}}}]"#))
    }

    @Test("parallel_tool_calls false disables parallel tool use")
    func parallel() throws {
        let tools = #""tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}]"#
        #expect(
            try Self.translate("\(tools),\"parallel_tool_calls\":false")["tool_choice"]
                == Self.value(#"{"type":"auto","disable_parallel_tool_use":true}"#))
        #expect(
            try Self.translate("\(tools),\"parallel_tool_calls\":false,\"tool_choice\":\"required\"")["tool_choice"]
                == Self.value(#"{"type":"any","disable_parallel_tool_use":true}"#))
        #expect(try Self.translate("\(tools),\"parallel_tool_calls\":true")["tool_choice"] == nil)
    }

    @Test("max tokens: max_completion_tokens, then max_tokens, then the default")
    func maxTokens() throws {
        #expect(try Self.translate("")["max_tokens"]?.int == AnthropicRequestTranslator.defaultMaxTokens)
        #expect(try Self.translate(#""max_tokens":300"#)["max_tokens"]?.int == 300)
        #expect(try Self.translate(#""max_tokens":300,"max_completion_tokens":200"#)["max_tokens"]?.int == 200)
        let body = #"{"model":"m","messages":[{"role":"user","content":"hi"}]}"#
        let request = try AnthropicRequestTranslator(defaultMaxTokens: 777).translate(Array(body.utf8))
        #expect(JSONValue.parse(request.body)?["max_tokens"]?.int == 777)
        #expect(Self.failure(#""max_tokens":0"#)?.param == "max_tokens")
        #expect(Self.failure(#""max_completion_tokens":"many""#)?.param == "max_completion_tokens")
    }

    @Test("sampling fields, stop sequences, user and Anthropic's own fields")
    func sampling() throws {
        let body = try Self.translate(
            #""temperature":0.25,"top_p":0.9,"stop":"END","user":"u-42","top_k":5,"seed":7,"frequency_penalty":1,"thinking":{"type":"enabled","budget_tokens":2048}"#
        )
        #expect(body["temperature"]?.double == 0.25)
        #expect(body["top_p"]?.double == 0.9)
        #expect(body["stop_sequences"] == Self.value(#"["END"]"#))
        #expect(body["metadata"] == Self.value(#"{"user_id":"u-42"}"#))
        #expect(body["top_k"]?.int == 5)
        #expect(body["thinking"] == Self.value(#"{"type":"enabled","budget_tokens":2048}"#))
        #expect(body["seed"] == nil && body["frequency_penalty"] == nil && body["user"] == nil)
        #expect(try Self.translate(#""temperature":1.7"#)["temperature"]?.double == 1)
        #expect(try Self.translate(#""stop":["a","b"]"#)["stop_sequences"] == Self.value(#"["a","b"]"#))
        #expect(try Self.translate(#""stop":null,"temperature":null"#)["stop_sequences"] == nil)
    }

    @Test("stream and stream_options are read; stream_options is not sent")
    func stream() throws {
        let body =
            #"{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":true,"stream_options":{"include_usage":true}}"#
        let request = try AnthropicRequestTranslator().translate(Array(body.utf8))
        #expect(request.isStream && request.includeUsage)
        #expect(JSONValue.parse(request.body)?["stream"] == .bool(true))
        #expect(JSONValue.parse(request.body)?["stream_options"] == nil)
        let headers = request.headers(apiKey: "sk-ant-test")
        #expect(headers.map(\.name) == ["x-api-key", "anthropic-version", "content-type", "accept"])
        #expect(headers.map(\.value) == ["sk-ant-test", "2023-06-01", "application/json", "text/event-stream"])
        #expect(AnthropicRequest.path == "/v1/messages")
    }

    @Test(
        "what Anthropic cannot honour is refused, naming the field",
        arguments: [
            (#""n":2"#, "n"), (#""logprobs":true"#, "logprobs"), (#""top_logprobs":2"#, "top_logprobs"),
            (#""response_format":{"type":"json_object"}"#, "response_format"), (#""audio":{"voice":"alloy"}"#, "audio"),
            (#""modalities":["text","audio"]"#, "modalities"), (#""functions":[]"#, "functions"),
            (#""tools":[{"type":"custom","custom":{"name":"x"}}]"#, "tools[0].type"),
            (#""tool_choice":"auto""#, "tool_choice"), (#""temperature":-1"#, "temperature"),
            (#""stop":[1]"#, "stop"), (#""stream":"yes""#, "stream"), (#""model":7"#, "model"),
        ])
    func refused(fields: String, param: String) {
        let error = Self.failure(fields)
        #expect(error?.param == param)
        #expect(error?.httpStatus == 400)
    }

    @Test("harmless defaults are accepted")
    func accepted() throws {
        _ = try Self.translate(#""n":1,"logprobs":false,"response_format":{"type":"text"},"modalities":["text"]"#)
    }

    @Test(
        "malformed messages are refused, naming the field",
        arguments: [
            (#"[]"#, "messages"), (#"{}"#, "messages"), (#"[{"content":"x"}]"#, "messages[0].role"),
            (#"[{"role":"robot","content":"x"}]"#, "messages[0].role"), (#"[{"role":"user"}]"#, "messages[0].content"),
            (#"[{"role":"system","content":"only a system prompt"}]"#, "messages"),
            (#"[{"role":"tool","content":"x"}]"#, "messages[0].tool_call_id"),
            (#"[{"role":"user","content":[{"type":"video"}]}]"#, "messages[0].content[0].type"),
            (#"[{"role":"system","content":[{"type":"image_url"}]}]"#, "messages[0].content[0]"),
        ])
    func malformed(messages: String, param: String) {
        #expect(Self.failure("", messages: messages)?.param == param)
    }

    @Test("a body that is not a JSON object is invalid JSON")
    func notJSON() {
        for body in ["", "[1]", #"{"model":"m""#] {
            let error = #expect(throws: SluiceError.self) {
                try AnthropicRequestTranslator().translate(Array(body.utf8))
            }
            #expect(error?.code == .invalidJSON)
        }
    }
}
