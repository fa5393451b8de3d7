/// Rewrites an OpenAI chat request (`POST /v1/chat/completions`) as an Anthropic Messages
/// request. Pure: bytes in, bytes out.
///
/// What maps to what:
/// - `system` and `developer` messages, wherever they stand, become `system` in their order:
///   one plain string stays a string, anything else becomes text blocks;
/// - `user` content: text parts, `image_url` parts (a base64 `data:` URL becomes a `base64`
///   source, an http(s) URL a `url` source; `detail` is dropped) and PDF `file` parts given as
///   `file_data` (a `document` block); a `cache_control` on a part is passed on;
/// - `assistant` text and `tool_calls` become `text` and `tool_use` blocks (the arguments string
///   parsed into `input`); an assistant message with neither is left out;
/// - `tool` messages become `tool_result` blocks in a user turn, consecutive ones merged;
/// - `tools` (`function` only) become `name`/`description`/`input_schema`; `tool_choice`
///   `auto`/`none`/`required`/named maps to `auto`/`none`/`any`/`tool`, and
///   `parallel_tool_calls: false` to `disable_parallel_tool_use`;
/// - `max_completion_tokens`, else `max_tokens`, else ``defaultMaxTokens``, to `max_tokens`;
///   `temperature` (above 1, Anthropic's maximum, it is sent as 1), `top_p`, `stop` (to
///   `stop_sequences`), `stream`, and `user` (to `metadata.user_id`);
/// - Anthropic's own `top_k` and `thinking`, when present, pass through unchanged.
///
/// Refused with a ``SluiceError`` naming the field: `n` other than 1, `logprobs`,
/// `top_logprobs`, a JSON `response_format`, audio (`audio`, `modalities`, `input_audio`
/// parts), legacy `functions`/`function_call`, `web_search_options`, `file_id` parts, images
/// that are neither base64 `data:` URLs of JPEG/PNG/GIF/WebP nor http(s) URLs, and any value
/// of the wrong type. Sampling hints with no Anthropic counterpart (`frequency_penalty`,
/// `presence_penalty`, `seed`, `logit_bias`, `reasoning_effort`, `service_tier`, `store`,
/// `metadata`, `prediction`) and unknown fields are ignored.
public struct AnthropicRequestTranslator: Sendable {
    /// The `max_tokens` sent when the request gives none: every Claude model allows at least this.
    public static let defaultMaxTokens = 4096
    /// The dialect name used in error messages.
    static let dialect = "Anthropic"

    /// The `max_tokens` sent when the request gives none (Anthropic requires one).
    public var defaultMaxTokens: Int

    /// Creates a translator.
    public init(defaultMaxTokens: Int = AnthropicRequestTranslator.defaultMaxTokens) {
        self.defaultMaxTokens = defaultMaxTokens
    }

    /// Translates `body`, an OpenAI chat request. `model` is the name to send (the route
    /// target's); nil sends the request's own `model`.
    public func translate(_ body: [UInt8], model: String? = nil) throws(SluiceError) -> AnthropicRequest {
        let root: JSONNode
        do {
            root = try JSONNode.parse(body)
        } catch {
            throw .invalidJSON(error)
        }
        guard root.isObject else {
            throw .invalidJSON(BodyScanError(offset: 0, reason: "top-level value must be a JSON object"))
        }
        try Self.refuseUnsupported(root)
        var name = model ?? ""
        if model == nil { name = try Self.requiredString(root["model"], "model") }
        let conversation = try Self.conversation(root["messages"])
        let stream = try Self.optional(root.given("stream"), "stream", expected: "a boolean") { $0.bool }
        let tools = try Self.tools(root.given("tools"))
        let request = JSONNode.record([
            "model": .string(name),
            "max_tokens": .int(try maxTokens(root)),
            "system": conversation.system,
            "messages": .array(conversation.messages),
            "stop_sequences": try Self.stopSequences(root.given("stop")),
            "temperature": try Self.temperature(root.given("temperature")),
            "top_p": try Self.number(root.given("top_p"), "top_p"),
            "top_k": try Self.optional(root.given("top_k"), "top_k", expected: "an integer") { $0.integer }
                .map(JSONNode.int),
            "stream": stream.map { .bool($0) },
            "thinking": try Self.optional(root.given("thinking"), "thinking", expected: "an object") {
                $0.isObject ? $0 : nil
            },
            "tools": tools,
            "tool_choice": try Self.toolChoice(root, hasTools: tools != nil),
            "metadata": try Self.optional(root.given("user"), "user", expected: "a string") { $0.string }
                .map { .record(["user_id": .string($0)]) },
        ])
        let includeUsage = root["stream_options"]?["include_usage"]?.bool == true
        return AnthropicRequest(
            body: request.bytes, model: name, isStream: stream == true, includeUsage: stream == true && includeUsage)
    }

    /// `max_completion_tokens`, else `max_tokens`, else the default; at least 1.
    private func maxTokens(_ root: JSONNode) throws(SluiceError) -> Int {
        for param in ["max_completion_tokens", "max_tokens"] {
            guard let value = root.given(param) else { continue }
            guard let count = value.integer else { throw .invalidFieldType(param, expected: "an integer") }
            guard count >= 1 else { throw .invalidField(param, "it must be at least 1") }
            return count
        }
        return defaultMaxTokens
    }

    /// Fails on the fields and values Anthropic has no way to honour.
    private static func refuseUnsupported(_ root: JSONNode) throws(SluiceError) {
        if let n = root.given("n"), n.integer != 1 {
            throw .unsupportedValue(
                "n", dialect: dialect, hint: "Anthropic returns one choice; send n: 1 or leave n out")
        }
        if let logprobs = root.given("logprobs"), logprobs.bool != false {
            throw .unsupportedParameter(
                "logprobs", dialect: dialect, hint: "Anthropic does not return log probabilities")
        }
        if root.given("top_logprobs") != nil {
            throw .unsupportedParameter(
                "top_logprobs", dialect: dialect, hint: "Anthropic does not return log probabilities")
        }
        if let format = root.given("response_format"), format["type"]?.string != "text" {
            throw .unsupportedValue(
                "response_format", dialect: dialect,
                hint: "only {\"type\": \"text\"} works; describe the JSON you want in the prompt or use a tool")
        }
        if root.given("audio") != nil {
            throw .unsupportedParameter("audio", dialect: dialect, hint: "Anthropic answers in text only")
        }
        if let modalities = root.given("modalities"), modalities.array?.contains(where: { $0 != "text" }) != false {
            throw .unsupportedValue("modalities", dialect: dialect, hint: "Anthropic answers in text only")
        }
        for legacy in ["functions", "function_call"] where root.given(legacy) != nil {
            throw .unsupportedParameter(legacy, dialect: dialect, hint: "use 'tools' and 'tool_choice'")
        }
        if root.given("web_search_options") != nil {
            throw .unsupportedParameter(
                "web_search_options", dialect: dialect, hint: "Sluice does not translate OpenAI's web search")
        }
    }
}
