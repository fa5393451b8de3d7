#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

/// The in-process `mock` provider: answers OpenAI requests without a network, for demos, tests
/// and measuring Sluice alone.
///
/// Deterministic: the same request, `model`, `id` and `created` give the same bytes. The answer
/// quotes the question, `Mock answer to: "<last user message, at most 200 characters>"`, so a
/// caller can see its request arrived intact.
///
/// Token counts follow one rule, ``tokenCount(_:)``: a text costs ⌈UTF-8 bytes / 4⌉ tokens.
/// `prompt_tokens` is the sum over every message's text (content parts joined with a space,
/// non-text parts free), at least 1; token-id inputs cost one token per id; `completion_tokens`
/// is the count of the answer; `total_tokens` is their sum.
///
/// Bad requests throw ``SluiceError`` `invalidJSON` or `invalidField` naming the parameter.
/// Not modelled: `n`, tools, logprobs, `max_tokens` (answers always finish with `stop`).
public struct MockProvider: Sendable {
    /// The longest part of the question quoted in the answer, in characters.
    public static let quotedQuestionLimit = 200
    /// Vector length for embeddings when the request has no `dimensions`.
    public static let defaultDimensions = 8

    /// Creates the provider.
    public init() {}

    /// Tokens the mock charges for `text`: ⌈UTF-8 bytes / 4⌉.
    public static func tokenCount(_ text: String) -> Int {
        (text.utf8.count + 3) / 4
    }

    /// The answer to `question`: `Mock answer to: "<question>"`, the question cut to
    /// ``quotedQuestionLimit`` characters (then ending in `…`).
    public static func answer(to question: String) -> String {
        let head = question.prefix(quotedQuestionLimit + 1)
        let quoted = head.count > quotedQuestionLimit ? head.prefix(quotedQuestionLimit) + "…" : head
        return "Mock answer to: \"\(quoted)\""
    }

    /// `answer` cut before each space, the pieces a stream sends: concatenated they are `answer`.
    static func words(_ answer: String) -> [String] {
        let pieces = answer.split(separator: " ", omittingEmptySubsequences: false)
        return pieces.enumerated().map { $0.offset == 0 ? String($0.element) : " " + $0.element }
    }

    /// Validates `body` as JSON, then decodes it, mapping failures to the parameter at fault.
    static func decode<Request: Decodable>(_ type: Request.Type, from body: [UInt8]) throws(SluiceError) -> Request {
        do {
            try BodyScan.validate(body)
        } catch {
            throw .invalidJSON(error)
        }
        do {
            return try JSONDecoder().decode(Request.self, from: Data(body))
        } catch let error as SluiceError {
            throw error
        } catch let DecodingError.keyNotFound(key, context) {
            throw .missingField(MockRequest.param(context.codingPath + [key]))
        } catch let DecodingError.typeMismatch(type, context) {
            throw .invalidFieldType(MockRequest.param(context.codingPath), expected: describe(type))
        } catch let DecodingError.valueNotFound(type, context) {
            throw .invalidFieldType(MockRequest.param(context.codingPath), expected: describe(type))
        } catch let DecodingError.dataCorrupted(context) {
            throw .invalidField(MockRequest.param(context.codingPath), context.debugDescription)
        } catch {
            throw .internal("the mock provider could not read the request", cause: error)
        }
    }

    private static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type: "an integer"
        case is Bool.Type: "a boolean"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }

    /// Whether the request asked for a usage chunk (`stream_options.include_usage: true`).
    static func includesUsage(_ body: [UInt8]) throws(SluiceError) -> Bool {
        do {
            return try BodyScan.scanRequest(body).includeUsage
        } catch {
            throw .invalidJSON(error)
        }
    }
}
