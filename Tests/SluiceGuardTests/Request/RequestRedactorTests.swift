import SluiceGuard
import SluiceLLM
import Testing

@Suite("request redactor")
struct RequestRedactorTests {
    static let planted = [
        "alice@example.com", "+44 20 7946 0958", "4111 1111 1111 1111", "123-45-6789", "GB82WEST12345698765432",
        "10.20.30.40", SecretDetectorTests.aws, "bob@example.org", "5555555555554444",
    ]
    static let redactor = RequestRedactor(rules: RedactionRules(scanner: RedactionScanner(), restore: true))

    func redact(_ json: String, _ endpoint: RedactionEndpoint, rules: RedactionRules? = nil) throws -> RedactedRequest {
        let redactor = rules.map(RequestRedactor.init) ?? Self.redactor
        return try redactor.redact(body: Array(json.utf8), endpoint: endpoint).get()
    }

    @Test("every text field of a chat request is masked; nothing planted is left")
    func chatFields() throws {
        let body = """
            {"model":"gpt-4o","temperature":0.2,"messages":[
              {"role":"system","content":"Escalate to alice@example.com."},
              {"role":"user","name":"alice@example.com","content":[
                {"type":"text","text":"My card is 4111 1111 1111 1111 and SSN 123-45-6789"},
                {"type":"image_url","image_url":{"url":"https://img.example.com/10.9.9.9/a.png"}}]},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                "function":{"name":"wire","arguments":"{\\"iban\\":\\"GB82WEST12345698765432\\",\\"amount\\":5555555555554444}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"sent from 10.20.30.40 by bob@example.org"},
              {"role":"assistant","content":"ok","function_call":{"name":"f","arguments":"call +44 20 7946 0958"}},
              {"role":"user","content":"key \(SecretDetectorTests.aws)"}]}
            """
        let outcome = try redact(body, .chatCompletions)
        let output = try #require(outcome.body)
        let text = String(decoding: output, as: UTF8.self)
        for value in Self.planted { #expect(!text.contains(value), "\(value) leaked") }
        let json = try JSON.parse(output)
        let messages = try #require(json["messages"])
        #expect(messages[0]?["content"]?.string == "Escalate to [EMAIL_1].")
        #expect(messages[1]?["name"]?.string == "[EMAIL_1]")
        #expect(messages[1]?["content"]?[0]?["text"]?.string == "My card is [CREDIT_CARD_1] and SSN [SSN_1]")
        #expect(messages[1]?["content"]?[1]?["image_url"]?["url"]?.string == "https://img.example.com/10.9.9.9/a.png")
        let arguments = try #require(messages[2]?["tool_calls"]?[0]?["function"]?["arguments"]?.string)
        #expect(arguments == "{\"iban\":\"[IBAN_1]\",\"amount\":\"[CREDIT_CARD_2]\"}")
        #expect(messages[3]?["content"]?.string == "sent from [IP_ADDRESS_1] by [EMAIL_2]")
        #expect(messages[4]?["function_call"]?["arguments"]?.string == "call [PHONE_1]")
        #expect(messages[5]?["content"]?.string == "key [SECRET_1]")
        #expect(json["model"]?.string == "gpt-4o")
        #expect(json["temperature"] == .number(0.2))
        #expect(outcome.counts.byType[.email] == 3)
        #expect(outcome.counts.byType[.creditCard] == 2)
        #expect(outcome.counts.total == 10)
        #expect(outcome.masks.value(for: "[IBAN_1]") == "GB82WEST12345698765432")
    }

    @Test("keys, order, whitespace and non-text values keep their bytes")
    func structureKept() throws {
        let body =
            "{ \"messages\" : [ {\"role\":\"user\", \"content\" : \"to alice@example.com\" } ],\n \"model\":\"m\", \"n\":1 }"
        let outcome = try redact(body, .chatCompletions)
        let output = String(decoding: try #require(outcome.body), as: UTF8.self)
        #expect(
            output
                == "{ \"messages\" : [ {\"role\":\"user\", \"content\" : \"to [EMAIL_1]\" } ],\n \"model\":\"m\", \"n\":1 }"
        )
        // Restoring the masked body gives back the original bytes.
        #expect(ResponseRestorer.restore(body: Array(output.utf8), masks: outcome.masks) == Array(body.utf8))
    }

    @Test("escaped strings are decoded before scanning and re-encoded after")
    func escapes() throws {
        let body =
            #"{"messages":[{"role":"user","content":"line1\nmail a\u0040example.com \"quoted\" \u00e9\ud83d\ude00 \/"}]}"#
        let outcome = try redact(body, .chatCompletions)
        let json = try JSON.parse(try #require(outcome.body))
        #expect(json["messages"]?[0]?["content"]?.string == "line1\nmail [EMAIL_1] \"quoted\" é😀 /")
        #expect(outcome.masks.value(for: "[EMAIL_1]") == "a@example.com")
    }

    @Test("a bare string among content parts is text too; escaped keys are matched by what they mean")
    func lenientShapes() throws {
        let body =
            #"{"messages":[{"role":"user","content":["to a@example.com"]},{"role":"user","cont\u0065nt":"b@example.com"}]}"#
        let json = try JSON.parse(try #require(try redact(body, .chatCompletions).body))
        #expect(json["messages"]?[0]?["content"]?[0]?.string == "to [EMAIL_1]")
        #expect(json["messages"]?[1]?["content"]?.string == "[EMAIL_2]")
    }

    @Test("a body with nothing to find is left as it is")
    func nothingFound() throws {
        let outcome = try redact(
            #"{"messages":[{"role":"user","content":"hello"}],"user":"a@example.com"}"#, .chatCompletions)
        #expect(outcome.body == nil)
        #expect(outcome.counts.isEmpty)
        #expect(outcome.masks.isEmpty)
    }

    @Test("legacy prompt: a string or an array of strings; suffix too")
    func completions() throws {
        let single = try JSON.parse(
            try #require(try redact(#"{"prompt":"to a@example.com","suffix":"10.1.1.1"}"#, .completions).body))
        #expect(single["prompt"]?.string == "to [EMAIL_1]")
        #expect(single["suffix"]?.string == "[IP_ADDRESS_1]")
        let many = try JSON.parse(
            try #require(try redact(#"{"prompt":["a@example.com","x",[1,2]]}"#, .completions).body))
        #expect(many["prompt"] == .array([.string("[EMAIL_1]"), .string("x"), .array([.number(1), .number(2)])]))
    }

    @Test("embeddings input: a string or an array of strings; token arrays untouched")
    func embeddings() throws {
        let single = try JSON.parse(
            try #require(try redact(#"{"input":"a@example.com","model":"e"}"#, .embeddings).body))
        #expect(single["input"]?.string == "[EMAIL_1]")
        let many = try JSON.parse(
            try #require(try redact(#"{"input":["a@example.com","b@example.com"]}"#, .embeddings).body))
        #expect(many["input"] == .array([.string("[EMAIL_1]"), .string("[EMAIL_2]")]))
        #expect(try redact(#"{"input":[[4111111111111111,1]]}"#, .embeddings).body == nil)
    }

    @Test("Anthropic messages: system, text blocks, tool_use input and tool_result content")
    func anthropic() throws {
        let body = #"""
            {"system":[{"type":"text","text":"admin is a@example.com"}],"messages":[
            {"role":"user","content":"card 4111111111111111"},
            {"role":"assistant","content":[{"type":"tool_use","id":"t","name":"n","input":{"to":"b@example.com","n":[5555555555554444]}}]},
            {"role":"user","content":[{"type":"tool_result","tool_use_id":"t","content":[{"type":"text","text":"ip 10.0.0.1"}]}]}]}
            """#
        let outcome = try redact(body, .anthropicMessages)
        let json = try JSON.parse(try #require(outcome.body))
        #expect(json["system"]?[0]?["text"]?.string == "admin is [EMAIL_1]")
        #expect(json["messages"]?[0]?["content"]?.string == "card [CREDIT_CARD_1]")
        #expect(json["messages"]?[1]?["content"]?[0]?["input"]?["to"]?.string == "[EMAIL_2]")
        #expect(json["messages"]?[1]?["content"]?[0]?["input"]?["n"]?[0]?.string == "[CREDIT_CARD_2]")
        #expect(json["messages"]?[2]?["content"]?[0]?["content"]?[0]?["text"]?.string == "ip [IP_ADDRESS_1]")
    }

    @Test("block refuses with pii_detected naming the types, never a value")
    func block() throws {
        let rules = RedactionRules(scanner: RedactionScanner(), action: .block)
        let result = RequestRedactor(rules: rules).redact(
            body: Array(#"{"messages":[{"role":"user","content":"a@example.com 4111111111111111"}]}"#.utf8),
            endpoint: .chatCompletions)
        guard case .failure(let error) = result else {
            Issue.record("expected a block")
            return
        }
        #expect(error.httpStatus == 400)
        #expect(error.code == .promptBlocked)
        #expect(error.openAICode == "pii_detected")
        #expect(error.message.contains("credit_card, email"))
        #expect(!error.message.contains("a@example.com"))
        #expect(!String(decoding: error.openAIBody(), as: UTF8.self).contains("4111"))
        // Nothing found: the request goes on.
        let clean = RequestRedactor(rules: rules).redact(
            body: Array(#"{"messages":[{"role":"user","content":"hi"}]}"#.utf8), endpoint: .chatCompletions)
        #expect((try? clean.get())?.body == nil)
    }

    @Test("log passes the body unchanged and counts")
    func log() throws {
        let outcome = try redact(
            #"{"messages":[{"role":"user","content":"a@example.com b@example.com"}]}"#, .chatCompletions,
            rules: RedactionRules(scanner: RedactionScanner(), action: .log))
        #expect(outcome.body == nil)
        #expect(outcome.counts.byType == [.email: 2])
        #expect(outcome.counts.description == "email=2")
        #expect(outcome.masks.isEmpty)
    }

    @Test("custom patterns and terms from policy text")
    func custom() throws {
        let rules = try RedactionRules(
            detectors: ["email"], patterns: [("employee_id", "EMP-[0-9]{6}")], terms: [("codename", ["Falcon"])])
        let outcome = try redact(
            #"{"messages":[{"role":"user","content":"EMP-123456 on falcon, 4111111111111111"}]}"#,
            .chatCompletions, rules: rules)
        let json = try JSON.parse(try #require(outcome.body))
        #expect(json["messages"]?[0]?["content"]?.string == "[EMPLOYEE_ID_1] on [CODENAME_1], 4111111111111111")
        #expect(throws: RedactionRulesError.unknownDetector("passport")) { try RedactionRules(detectors: ["passport"]) }
    }

    @Test("a body that is not JSON is a 400 invalid_json")
    func invalid() {
        let result = Self.redactor.redact(body: Array(#"{"messages":[{"content":"x"#.utf8), endpoint: .chatCompletions)
        guard case .failure(let error) = result else {
            Issue.record("expected an error")
            return
        }
        #expect(error.code == .invalidJSON)
    }

    @Test("output: the answer's own findings get new numbers; the request's values keep theirs")
    func output() throws {
        let outcome = try redact(#"{"messages":[{"role":"user","content":"I am a@example.com"}]}"#, .chatCompletions)
        let answer =
            #"{"choices":[{"index":0,"message":{"role":"assistant","content":"Hi a@example.com, write to b@example.com"}}]}"#
        let (redacted, counts) = Self.redactor.redactAnswer(
            body: Array(answer.utf8), endpoint: .chatCompletions, masks: outcome.masks)
        #expect(counts.byType == [.email: 2])
        let redactedBody = try #require(redacted)
        let restored = try #require(ResponseRestorer.restore(body: redactedBody, masks: outcome.masks))
        let json = try JSON.parse(restored)
        #expect(json["choices"]?[0]?["message"]?["content"]?.string == "Hi a@example.com, write to [EMAIL_2]")
    }
}
