import NIOCore
import SluiceLLM

/// The few facts the request path needs from a request body, found by one scan of its bytes.
struct ScannedRequest {
    var model: String
    var stream: Bool
    /// Where the `model` value (with its quotes) sits in the body, for swapping it without re-encoding.
    var modelRange: Range<Int>

    private static let fields: Set<String> = ["model", "stream", "messages", "prompt", "input"]

    static func scan(_ body: ByteBuffer, endpoint: APIEndpoint) -> Result<ScannedRequest, SluiceError> {
        let scan: BodyScan
        do {
            scan = try body.withUnsafeReadableBytes { bytes throws(BodyScanError) in
                try BodyScan.scan(bytes, fields: Self.fields)
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
        return .success(ScannedRequest(model: name, stream: stream, modelRange: model.valueRange))
    }

    /// The body with the model value replaced; every other byte is kept as the app sent it.
    func replacingModel(in body: ByteBuffer, with newModel: String) -> ByteBuffer {
        let quoted = JSONText.quoted(newModel)
        var output = ByteBufferAllocator().buffer(capacity: body.readableBytes + quoted.utf8.count)
        let start = body.readerIndex
        output.writeBytes(body.getSlice(at: start, length: self.modelRange.lowerBound)!.readableBytesView)
        output.writeString(quoted)
        let tail = body.readableBytes - self.modelRange.upperBound
        output.writeBytes(body.getSlice(at: start + self.modelRange.upperBound, length: tail)!.readableBytesView)
        return output
    }
}
