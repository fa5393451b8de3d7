/// `messages`: the system prompt hoisted out, tool results gathered into user turns.
extension AnthropicRequestTranslator {
    /// The translated conversation: Anthropic's `system` and `messages`.
    struct Conversation {
        var system: JSONNode?
        var messages: [JSONNode]
    }

    static func conversation(_ node: JSONNode?) throws(SluiceError) -> Conversation {
        guard let node, !node.isNull else { throw .missingField("messages") }
        let list = try array(node, "messages", expected: "an array of message objects")
        var system: [JSONNode] = []
        var systemMessages: [JSONNode] = []
        var turns: [JSONNode] = []
        var toolResults: [JSONNode] = []
        for (index, message) in list.enumerated() {
            let param = "messages[\(index)]"
            guard message.isObject else { throw .invalidFieldType(param, expected: "a message object") }
            let role = try requiredString(message["role"], "\(param).role")
            if role != "tool", role != "system", role != "developer", !toolResults.isEmpty {
                turns.append(turn("user", .array(toolResults)))
                toolResults = []
            }
            switch role {
            case "system", "developer":
                systemMessages.append(message)
                system += try systemBlocks(message["content"], "\(param).content")
            case "user":
                turns.append(turn("user", try userContent(message["content"], "\(param).content")))
            case "assistant":
                if let content = try assistantContent(message, param) { turns.append(turn("assistant", content)) }
            case "tool":
                toolResults.append(try toolResult(message, param))
            case "function":
                throw .unsupportedValue("\(param).role", dialect: dialect, hint: "use 'tool' messages for tool results")
            default:
                throw .invalidField(
                    "\(param).role", "unknown role '\(role)'; expected system, developer, user, assistant or tool")
            }
        }
        if !toolResults.isEmpty { turns.append(turn("user", .array(toolResults))) }
        guard !turns.isEmpty else {
            throw .invalidField("messages", "it must contain at least one user or assistant message")
        }
        // One system message written as a plain string stays a plain string.
        if systemMessages.count == 1, let text = systemMessages[0]["content"]?.string, system.count == 1 {
            return Conversation(system: .string(text), messages: turns)
        }
        return Conversation(system: system.isEmpty ? nil : .array(system), messages: turns)
    }

    private static func turn(_ role: String, _ content: JSONNode) -> JSONNode {
        .record(["role": .string(role), "content": content])
    }

    /// A system message's content as text blocks; empty texts are dropped (Anthropic refuses them).
    private static func systemBlocks(_ node: JSONNode?, _ param: String) throws(SluiceError) -> [JSONNode] {
        guard let node, !node.isNull else { throw .missingField(param) }
        if let text = node.string { return text.isEmpty ? [] : [textBlock(text)] }
        var blocks: [JSONNode] = []
        for (index, part) in try array(node, param, expected: "a string or an array of text parts").enumerated() {
            let partParam = "\(param)[\(index)]"
            guard part.isObject, part["type"]?.string == "text" else {
                throw .invalidField(partParam, "a system message may hold only text parts")
            }
            let text = try requiredString(part["text"], "\(partParam).text")
            if !text.isEmpty { blocks.append(textBlock(text, cacheControl: part.given("cache_control"))) }
        }
        return blocks
    }

    /// A user message's content: a string stays a string; parts become blocks.
    private static func userContent(_ node: JSONNode?, _ param: String) throws(SluiceError) -> JSONNode {
        guard let node, !node.isNull else { throw .missingField(param) }
        if node.string != nil { return node }
        let parts = try array(node, param, expected: "a string or an array of content parts")
        guard !parts.isEmpty else { throw .invalidField(param, "it must not be empty") }
        var blocks: [JSONNode] = []
        for (index, part) in parts.enumerated() { blocks.append(try contentPart(part, "\(param)[\(index)]")) }
        return .array(blocks)
    }

    /// An assistant message as `text` and `tool_use` blocks (a lone text stays a string); nil
    /// when it has neither text nor tool calls.
    private static func assistantContent(_ message: JSONNode, _ param: String) throws(SluiceError) -> JSONNode? {
        if message.given("function_call") != nil {
            throw .unsupportedParameter("\(param).function_call", dialect: dialect, hint: "use 'tool_calls'")
        }
        var blocks: [JSONNode] = []
        let content = message.given("content")
        if let text = content?.string {
            if !text.isEmpty { blocks.append(textBlock(text)) }
        } else if let content {
            let parts = try array(content, "\(param).content", expected: "a string, an array of text parts or null")
            for (index, part) in parts.enumerated() {
                let partParam = "\(param).content[\(index)]"
                let kind = part.isObject ? part["type"]?.string : nil
                guard let kind, kind == "text" || kind == "refusal" else {
                    throw .invalidField(partParam, "an assistant message may hold only text and refusal parts")
                }
                let text = try requiredString(part[kind], "\(partParam).\(kind)")
                if !text.isEmpty { blocks.append(textBlock(text, cacheControl: part.given("cache_control"))) }
            }
        }
        var hasToolCalls = false
        if let calls = message.given("tool_calls") {
            let list = try array(calls, "\(param).tool_calls", expected: "an array of tool calls")
            for (index, call) in list.enumerated() {
                blocks.append(try toolUse(call, "\(param).tool_calls[\(index)]"))
                hasToolCalls = true
            }
        }
        if !hasToolCalls, let text = content?.string, !text.isEmpty { return .string(text) }
        return blocks.isEmpty ? nil : .array(blocks)
    }

    /// One OpenAI tool call as a `tool_use` block, its arguments string parsed into `input`.
    private static func toolUse(_ call: JSONNode, _ param: String) throws(SluiceError) -> JSONNode {
        guard call.isObject else { throw .invalidFieldType(param, expected: "a tool call object") }
        let id = try requiredString(call["id"], "\(param).id")
        if let type = call.given("type"), type.string != "function" {
            throw .unsupportedValue("\(param).type", dialect: dialect, hint: "only 'function' tool calls translate")
        }
        let function = try object(call["function"], "\(param).function")
        let name = try requiredString(function["name"], "\(param).function.name")
        let argumentsParam = "\(param).function.arguments"
        let arguments = try optional(function.given("arguments"), argumentsParam, expected: "a string") { $0.string }
        var input = JSONNode.object([])
        if let arguments, arguments.contains(where: { $0 != " " && $0 != "\n" && $0 != "\t" && $0 != "\r" }) {
            guard let parsed = try? JSONNode.parse(Array(arguments.utf8)), parsed.isObject else {
                throw .invalidField(argumentsParam, "it must be a JSON object encoded as a string")
            }
            input = parsed
        }
        return .record(["type": "tool_use", "id": .string(id), "name": .string(name), "input": input])
    }

    /// A `tool` message as a `tool_result` block.
    private static func toolResult(_ message: JSONNode, _ param: String) throws(SluiceError) -> JSONNode {
        let id = try requiredString(message["tool_call_id"], "\(param).tool_call_id")
        let content = try userContent(message["content"], "\(param).content")
        return .record(["type": "tool_result", "tool_use_id": .string(id), "content": content])
    }

    /// `{"type":"text","text":…}`, with a `cache_control` when one is given.
    static func textBlock(_ text: String, cacheControl: JSONNode? = nil) -> JSONNode {
        .record(["type": "text", "text": .string(text), "cache_control": cacheControl])
    }
}
