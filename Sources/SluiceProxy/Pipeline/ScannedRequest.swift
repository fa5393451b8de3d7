import NIOCore
import SluiceLLM

/// The few facts the request path needs from a request body, found by one scan of its bytes.
struct ScannedRequest {
    var model: String
    var stream: Bool
    /// Where the `model` value (with its quotes) sits in the body, for swapping it without re-encoding.
    var modelRange: Range<Int>
    /// `max_tokens` (or `max_completion_tokens`) when the request sets one.
    var maxTokens: Int?
    /// Whether the app asked for the usage chunk at the end of a stream.
    var includeUsage = false
    /// The bytes of the prompt-bearing field (`messages`, `prompt` or `input`): what the token
    /// estimate counts. JSON syntax included, so the estimate errs high; settling corrects it.
    var promptBytes = 0
    /// Where `stream_options` stands, for forcing the usage chunk.
    var streamOptions: StreamOptionsPlace = .absent

    /// Where `stream_options.include_usage` can be set to true.
    enum StreamOptionsPlace {
        /// No `stream_options`: insert it after the body's opening brace at `bodyStart`.
        case absent
        /// `stream_options` is an object starting at this offset, without `include_usage`.
        case objectWithout(openingBrace: Int, isEmpty: Bool)
        /// `include_usage` is present; its value sits in this range.
        case flag(Range<Int>)
        /// `stream_options` is not an object (left alone).
        case other
    }

    private static let query = BodyScan.Query(
        fields: ["model", "stream", "messages", "prompt", "input", "max_tokens", "max_completion_tokens"],
        members: ["stream_options": ["include_usage"]])

    static func scan(_ body: ByteBuffer, endpoint: APIEndpoint) -> Result<ScannedRequest, SluiceError> {
        let scan: BodyScan
        do {
            scan = try body.withUnsafeReadableBytes { bytes throws(BodyScanError) in
                try BodyScan.scan(bytes, query: Self.query)
            }
        } catch {
            return .failure(.invalidJSON(error))
        }
        guard let model = scan["model"] else {
            return .failure(.missingField("model"))
        }
        guard model.kind == .string, let name = model.string else {
            return .failure(.invalidFieldType("model", expected: "a string"))
        }
        guard !name.isEmpty else {
            return .failure(.invalidField("model", "it must not be empty"))
        }
        // The name goes back to the app in `x-sluice-model` and upstream in headers of some dialects:
        // a control character there would split a header line (the codecs do not re-validate).
        guard !name.utf8.contains(where: { $0 < 0x20 || $0 == 0x7F }) else {
            return .failure(.invalidField("model", "it must not contain control characters"))
        }
        var stream = false
        if let field = scan["stream"] {
            switch field.kind {
            case .bool: stream = field.bool ?? false
            case .null: stream = false
            default: return .failure(.invalidFieldType("stream", expected: "a boolean"))
            }
        }
        if let required = endpoint.requiredField {
            guard let field = scan[required] else {
                return .failure(.missingField(required))
            }
            switch (endpoint, field.kind) {
            case (.chatCompletions, .array):
                if field.isEmptyContainer {
                    return .failure(.invalidField("messages", "it must contain at least one message"))
                }
            case (.chatCompletions, _):
                return .failure(.invalidFieldType("messages", expected: "an array of messages"))
            case (.completions, .string), (.completions, .array), (.embeddings, .string), (.embeddings, .array):
                break
            default:
                return .failure(.invalidFieldType(required, expected: "a string or an array"))
            }
        }
        var request = ScannedRequest(model: name, stream: stream, modelRange: model.valueRange)
        request.maxTokens = (scan["max_completion_tokens"] ?? scan["max_tokens"])?.integer
        request.includeUsage = scan.includeUsage
        if let required = endpoint.requiredField, let field = scan[required] {
            request.promptBytes = field.valueRange.count
        }
        if let flag = scan["stream_options", "include_usage"] {
            request.streamOptions = .flag(flag.valueRange)
        } else if let options = scan["stream_options"] {
            request.streamOptions =
                options.kind == .object
                ? .objectWithout(openingBrace: options.valueRange.lowerBound, isEmpty: options.isEmptyContainer)
                : .other
        }
        return .success(request)
    }

    /// The body as it goes upstream: the model value swapped for `newModel` when it differs, and
    /// `stream_options.include_usage` set to true when `forceUsage` (so a stream always ends with
    /// its usage, which limits and spend settle on). Every other byte is kept as the app sent it;
    /// the received buffer itself when nothing changes.
    func rewritten(_ body: ByteBuffer, model newModel: String, forceUsage: Bool) -> ByteBuffer {
        var edits: [(range: Range<Int>, text: String)] = []
        if newModel != self.model { edits.append((self.modelRange, JSONText.quoted(newModel))) }
        if forceUsage && !self.includeUsage {
            switch self.streamOptions {
            case .absent:
                let brace = body.readableBytesView.firstIndex(of: UInt8(ascii: "{")).map { $0 - body.readerIndex }
                if let brace { edits.append((brace + 1..<brace + 1, "\"stream_options\":{\"include_usage\":true},")) }
            case .objectWithout(let brace, let isEmpty):
                edits.append((brace + 1..<brace + 1, isEmpty ? "\"include_usage\":true" : "\"include_usage\":true,"))
            case .flag(let range):
                edits.append((range, "true"))
            case .other:
                break
            }
        }
        guard !edits.isEmpty else { return body }
        edits.sort { $0.range.lowerBound < $1.range.lowerBound }
        var output = ByteBufferAllocator().buffer(capacity: body.readableBytes + 48)
        var position = 0
        let start = body.readerIndex
        for edit in edits {
            output.writeBytes(body.getSlice(at: start + position, length: edit.range.lowerBound - position)!.readableBytesView)
            output.writeString(edit.text)
            position = edit.range.upperBound
        }
        output.writeBytes(body.getSlice(at: start + position, length: body.readableBytes - position)!.readableBytesView)
        return output
    }
}
