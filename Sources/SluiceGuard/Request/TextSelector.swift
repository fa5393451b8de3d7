/// Which values of a JSON document are text that reaches the model, as a small tree that
/// mirrors the document: members by key, array elements, and what to do with a string found
/// there.
final class TextSelector: Sendable {
    /// What a string (or number) value under this selector is.
    enum Role: Sendable {
        /// Not text: left alone.
        case none
        /// Text: scanned.
        case text
        /// A string holding JSON (tool-call arguments): the strings inside it are scanned, or the
        /// whole string as text when it is not JSON.
        case embeddedJSON
        /// Every string and number below, at any depth (keys excluded): tool inputs, answers.
        case everything
    }

    let role: Role
    let members: [String: TextSelector]
    let elements: TextSelector?
    /// The member keys as UTF-8, so a key without escapes is matched without building a string.
    private let memberKeys: [(key: [UInt8], selector: TextSelector)]

    init(role: Role = .none, members: [String: TextSelector] = [:], elements: TextSelector? = nil) {
        self.role = role
        self.members = members
        self.elements = elements
        self.memberKeys = members.map { (Array($0.key.utf8), $0.value) }
    }

    /// The selector for the member whose raw key text (between the quotes, no escapes) is `key`.
    func member(rawKey key: UnsafeRawBufferPointer) -> TextSelector? {
        for (name, selector) in memberKeys where name.count == key.count && name.elementsEqual(key) {
            return selector
        }
        return nil
    }

    /// A string here is text; in an array, so is each string element (`prompt: ["a", "b"]`).
    static let text = TextSelector(role: .text, elements: TextSelector(role: .text))
    /// A string holding JSON.
    static let embeddedJSON = TextSelector(role: .embeddedJSON)
    /// Everything below.
    static let everything = TextSelector(role: .everything)

    /// OpenAI `content`: a string, or content parts whose `text` is text. A bare string in the
    /// parts array is not valid OpenAI, but a lenient provider would read it, so it is text too.
    static let openAIContent = TextSelector(
        role: .text, elements: TextSelector(role: .text, members: ["text": .text]))

    /// One chat message: content, name, tool-call and legacy function-call arguments. Tool
    /// results (`role: tool`) keep their text in `content` too.
    static let openAIMessage = TextSelector(members: [
        "content": openAIContent,
        "name": .text,
        "tool_calls": TextSelector(
            elements: TextSelector(members: [
                "function": TextSelector(members: ["arguments": .embeddedJSON])
            ])),
        "function_call": TextSelector(members: ["arguments": .embeddedJSON]),
    ])

    /// Anthropic `content`: a string or blocks; `text` blocks, `tool_use.input` and
    /// `tool_result.content` (a string or text blocks) are text.
    static let anthropicContent = TextSelector(
        role: .text,
        elements: TextSelector(
            role: .text,
            members: [
                "text": .text,
                "input": .everything,
                "content": TextSelector(role: .text, elements: TextSelector(members: ["text": .text])),
            ]))
}
