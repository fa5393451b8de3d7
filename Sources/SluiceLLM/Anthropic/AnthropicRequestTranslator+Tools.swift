/// `tools`, `tool_choice` and `parallel_tool_calls`.
extension AnthropicRequestTranslator {
    /// The schema sent for a function that declares no `parameters`: Anthropic requires one.
    static let emptySchema = JSONNode.record(["type": "object", "properties": .object([])])

    /// OpenAI function tools as Anthropic tools; nil when there are none.
    static func tools(_ node: JSONNode?) throws(SluiceError) -> JSONNode? {
        guard let node else { return nil }
        let list = try array(node, "tools", expected: "an array of tools")
        var tools: [JSONNode] = []
        for (index, tool) in list.enumerated() {
            let param = "tools[\(index)]"
            guard tool.isObject else { throw .invalidFieldType(param, expected: "a tool object") }
            let type = try requiredString(tool["type"], "\(param).type")
            guard type == "function" else {
                throw .unsupportedValue(
                    "\(param).type", dialect: dialect, hint: "only 'function' tools translate, and this is '\(type)'")
            }
            let function = try object(tool["function"], "\(param).function")
            let name = try requiredString(function["name"], "\(param).function.name")
            let description = try optional(
                function.given("description"), "\(param).function.description", expected: "a string"
            ) { $0.string }
            let schema = try optional(
                function.given("parameters"), "\(param).function.parameters", expected: "a JSON schema object"
            ) { $0.isObject ? $0 : nil }
            tools.append(
                .record([
                    "name": .string(name),
                    "description": description.map(JSONNode.string),
                    "input_schema": schema ?? emptySchema,
                    "cache_control": tool.given("cache_control"),
                ]))
        }
        return tools.isEmpty ? nil : .array(tools)
    }

    /// `tool_choice`, with `parallel_tool_calls: false` folded in as `disable_parallel_tool_use`.
    static func toolChoice(_ root: JSONNode, hasTools: Bool) throws(SluiceError) -> JSONNode? {
        let parallel = try optional(root.given("parallel_tool_calls"), "parallel_tool_calls", expected: "a boolean") {
            $0.bool
        }
        guard let choice = root.given("tool_choice") else {
            guard hasTools, parallel == false else { return nil }
            return .record(["type": "auto", "disable_parallel_tool_use": true])
        }
        let type: String
        var name: String?
        if let mode = choice.string {
            switch mode {
            case "auto": type = "auto"
            case "none": type = "none"
            case "required": type = "any"
            default:
                throw .invalidField("tool_choice", "'\(mode)' is not a tool choice; expected auto, none or required")
            }
        } else if choice.isObject {
            let kind = try requiredString(choice["type"], "tool_choice.type")
            guard kind == "function" else {
                throw .unsupportedValue(
                    "tool_choice.type", dialect: dialect, hint: "use auto, none, required or a named function")
            }
            type = "tool"
            name = try requiredString(
                try object(choice["function"], "tool_choice.function")["name"],
                "tool_choice.function.name")
        } else {
            throw .invalidFieldType("tool_choice", expected: "a string or an object")
        }
        guard hasTools else {
            if type == "none" { return nil }
            throw .invalidField("tool_choice", "it is only allowed when 'tools' are given")
        }
        let disableParallel: JSONNode? = parallel == false && type != "none" ? true : nil
        return .record([
            "type": .string(type), "name": name.map(JSONNode.string), "disable_parallel_tool_use": disableParallel,
        ])
    }
}
