import SluiceLLM

/// Helpers shared by the Anthropic suites.
enum AnthropicTestSupport {
    /// Every recorded Anthropic interaction.
    static let fixtures = WireFixture.names { $1.provider == "anthropic" }
    /// The recorded Anthropic streams.
    static let streams = WireFixture.names { $1.provider == "anthropic" && $1.isEventStream }
    /// The recorded successful, non-streamed Anthropic answers.
    static let messages = WireFixture.names {
        $1.provider == "anthropic" && $1.isJSONResponse && $1.response.status == 200
    }
    /// The `created` every translation in the tests is stamped with.
    static let created = 1_760_000_000

    /// The events of a whole Anthropic recording, each with its JSON payload.
    static func anthropicEvents(_ bytes: [UInt8]) -> [(type: String, json: JSONValue)] {
        TestSupport.events(bytes).compactMap { event in
            JSONValue.parse(Array(event.data.utf8)).map { (event.type, $0) }
        }
    }

    /// The data of every OpenAI frame in `output`: `[DONE]` as nil, chunks as JSON.
    static func frames(_ output: [UInt8]) -> [JSONValue?] {
        TestSupport.events(output).map { event in
            event.data == "[DONE]" ? nil : JSONValue.parse(Array(event.data.utf8))
        }
    }

    /// The whole recording translated in one feed, plus the end of the stream.
    static func translate(
        _ bytes: [UInt8], includeUsage: Bool = true, thinking: AnthropicThinkingOutput = .omitted
    ) -> (output: [UInt8], translator: AnthropicStreamTranslator) {
        var translator = AnthropicStreamTranslator(
            provider: "anthropic", includeUsage: includeUsage, created: created, thinking: thinking)
        let output = translator.feed(bytes) + translator.finish()
        return (output, translator)
    }

    /// What the recorded Anthropic `usage` objects add up to, by Anthropic's rules (cumulative:
    /// the last value of each count wins), in OpenAI's terms.
    static func expectedUsage(_ usages: [JSONValue]) -> Usage {
        var input = 0
        var output = 0
        var read = 0
        var write = 0
        for usage in usages {
            input = usage["input_tokens"]?.int ?? input
            output = usage["output_tokens"]?.int ?? output
            read = usage["cache_read_input_tokens"]?.int ?? read
            write = usage["cache_creation_input_tokens"]?.int ?? write
        }
        return Usage(
            promptTokens: input + read + write, completionTokens: output, cachedTokens: read,
            cacheCreationTokens: write)
    }

    /// OpenAI's `usage` object for `usage`, as the translators write it.
    static func openAIUsage(_ usage: Usage) -> JSONValue {
        .object([
            "prompt_tokens": .number(Double(usage.promptTokens)),
            "completion_tokens": .number(Double(usage.completionTokens)),
            "total_tokens": .number(Double(usage.totalTokens)),
            "prompt_tokens_details": .object(["cached_tokens": .number(Double(usage.cachedTokens))]),
        ])
    }

    /// The OpenAI finish reason the tests expect for an Anthropic stop reason.
    static func finishReason(_ stopReason: String?) -> String {
        switch stopReason {
        case "max_tokens": "length"
        case "tool_use": "tool_calls"
        case "refusal": "content_filter"
        default: "stop"
        }
    }
}
