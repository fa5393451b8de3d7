import NIOCore
import NIOHTTP1

/// Gathers a request body up to the policy's size limit, and says as early as it can that a body is too
/// large: from `content-length` before a byte of body is read, or from the running count otherwise.
struct RequestBodyCollector {
    enum Action: Equatable {
        case collect
        case reject
    }

    let limit: Int
    private(set) var body: ByteBuffer?
    private var received = 0

    init(limit: Int) {
        self.limit = limit
    }

    /// Whether a head's declared length already exceeds the limit.
    static func declaresTooLarge(_ head: HTTPRequestHead, limit: Int) -> Bool {
        guard let declared = head.headers.first(name: "content-length"), let length = Int(declared) else {
            return false
        }
        return length > limit
    }

    mutating func append(_ chunk: ByteBuffer) -> Action {
        self.received += chunk.readableBytes
        if self.received > self.limit {
            self.body = nil
            return .reject
        }
        if self.body == nil {
            self.body = chunk
        } else {
            var chunk = chunk
            self.body!.writeBuffer(&chunk)
        }
        return .collect
    }
}
