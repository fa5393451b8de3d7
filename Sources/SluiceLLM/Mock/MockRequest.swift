/// The parts of OpenAI requests that ``MockProvider`` reads. Each type rejects a wrong shape with
/// a ``SluiceError`` naming the parameter (`messages[0].content`), the way OpenAI does.
enum MockRequest {
    struct Chat: Decodable {
        var messages: [Message]

        private enum CodingKeys: String, CodingKey { case messages }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            do {
                messages = try container.decode([Message].self, forKey: .messages)
            } catch DecodingError.typeMismatch(_, let context) where context.codingPath.count == 1 {
                throw SluiceError.invalidFieldType("messages", expected: "an array of message objects")
            }
        }
    }

    struct Message: Decodable {
        var role: String
        var content: Content?
    }

    /// A message's `content`: a string, or an array of content parts.
    enum Content: Decodable {
        case text(String)
        case parts([Part])

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self = .text(text)
                return
            }
            guard var array = try? decoder.unkeyedContainer() else {
                throw SluiceError.invalidFieldType(
                    MockRequest.param(decoder.codingPath), expected: "a string or an array of content parts")
            }
            var parts: [Part] = []
            while !array.isAtEnd { parts.append(try array.decode(Part.self)) }
            self = .parts(parts)
        }

        /// The text of the content; text parts are joined with a space, other parts skipped.
        var text: String {
            switch self {
            case .text(let text): text
            case .parts(let parts): parts.compactMap(\.text).joined(separator: " ")
            }
        }
    }

    /// One content part; only `text` parts carry text the mock reads.
    struct Part: Decodable {
        var type: String
        var text: String?

        private enum CodingKeys: String, CodingKey { case type, text }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            type = try container.decode(String.self, forKey: .type)
            text = type == "text" ? try container.decode(String.self, forKey: .text) : nil
        }
    }

    struct Completion: Decodable {
        var prompt: Input
    }

    struct Embeddings: Decodable {
        var input: Input
        var encodingFormat: String?
        var dimensions: Int?

        private enum CodingKeys: String, CodingKey {
            case input, dimensions
            case encodingFormat = "encoding_format"
        }
    }

    /// `prompt` or `input`: a string, an array of strings, an array of token ids, or an array of
    /// token-id arrays.
    enum Input: Decodable {
        case texts([String])
        case tokenLists([[Int]])

        private enum Item: Decodable {
            case text(String)
            case token(Int)
            case tokens([Int])

            init(from decoder: any Decoder) throws {
                let single = try decoder.singleValueContainer()
                if let text = try? single.decode(String.self) {
                    self = .text(text)
                } else if let token = try? single.decode(Int.self) {
                    self = .token(token)
                } else if let tokens = try? single.decode([Int].self) {
                    self = .tokens(tokens)
                } else {
                    throw SluiceError.invalidFieldType(
                        MockRequest.param(decoder.codingPath), expected: "a string or an array of token ids")
                }
            }
        }

        init(from decoder: any Decoder) throws {
            if let text = try? decoder.singleValueContainer().decode(String.self) {
                self = .texts([text])
                return
            }
            let expected = "a string, an array of strings, or an array of token ids"
            let param = MockRequest.param(decoder.codingPath)
            guard var array = try? decoder.unkeyedContainer() else {
                throw SluiceError.invalidFieldType(param, expected: expected)
            }
            var items: [Item] = []
            while !array.isAtEnd { items.append(try array.decode(Item.self)) }
            var texts: [String] = []
            var tokens: [Int] = []
            var lists: [[Int]] = []
            for item in items {
                switch item {
                case .text(let text): texts.append(text)
                case .token(let token): tokens.append(token)
                case .tokens(let list): lists.append(list)
                }
            }
            switch (texts.isEmpty, tokens.isEmpty, lists.isEmpty) {
            case (false, true, true): self = .texts(texts)
            case (true, false, true): self = .tokenLists([tokens])
            case (true, true, false): self = .tokenLists(lists)
            case (true, true, true): throw SluiceError.invalidField(param, "it must not be empty")
            default: throw SluiceError.invalidFieldType(param, expected: expected + ", not a mixture")
            }
        }
    }

    /// `messages[0].content` from a coding path.
    static func param(_ path: [any CodingKey]) -> String {
        var text = ""
        for key in path {
            if let index = key.intValue {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text
    }
}
