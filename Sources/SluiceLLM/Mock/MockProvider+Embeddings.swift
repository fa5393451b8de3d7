#if canImport(FoundationEssentials)
    import FoundationEssentials
#else
    import Foundation
#endif

extension MockProvider {
    /// The largest `dimensions` the mock accepts.
    public static let maxDimensions = 4096

    /// Answers `POST /v1/embeddings` with a `list` of `embedding` objects, one per input.
    ///
    /// Each vector is derived from its input alone: a 64-bit FNV-1a hash of the text (or of the
    /// token ids) seeds a SplitMix64 generator whose outputs, mapped to [-1, 1) and scaled to unit
    /// length, are the components. `dimensions` (default ``defaultDimensions``) sets the length;
    /// `encoding_format: "base64"` sends little-endian float32s in base64, as OpenAI does.
    /// Embeddings have no `id` or `created`, so this takes neither.
    public func embeddings(_ body: [UInt8], model: String) throws(SluiceError) -> [UInt8] {
        let request = try Self.decode(MockRequest.Embeddings.self, from: body)
        let dimensions = request.dimensions ?? Self.defaultDimensions
        guard (1...Self.maxDimensions).contains(dimensions) else {
            throw .invalidField("dimensions", "it must be between 1 and \(Self.maxDimensions)")
        }
        let base64: Bool
        switch request.encodingFormat {
        case nil, "float": base64 = false
        case "base64": base64 = true
        default: throw .invalidField("encoding_format", "it must be 'float' or 'base64'")
        }

        var seeds: [UInt64] = []
        var promptTokens = 0
        switch request.input {
        case .texts(let texts):
            for (index, text) in texts.enumerated() {
                guard !text.isEmpty else {
                    throw .invalidField(texts.count == 1 ? "input" : "input[\(index)]", "it must not be empty")
                }
                seeds.append(Self.fnv1a(text.utf8))
                promptTokens += Self.tokenCount(text)
            }
        case .tokenLists(let lists):
            for (index, tokens) in lists.enumerated() {
                guard !tokens.isEmpty else { throw .invalidField("input[\(index)]", "it must not be empty") }
                seeds.append(Self.fnv1a(tokens.flatMap { Self.littleEndianBytes(UInt32(truncatingIfNeeded: $0)) }))
                promptTokens += tokens.count
            }
        }

        var json = JSONWriter(capacity: seeds.count * dimensions * 12 + 256)
        json.beginObject()
        json.field("object", "list")
        json.key("data")
        json.beginArray()
        for (index, seed) in seeds.enumerated() {
            let vector = Self.unitVector(seed: seed, dimensions: dimensions)
            json.beginObject()
            json.field("object", "embedding")
            json.field("index", index)
            json.key("embedding")
            if base64 {
                json.string(Data(vector.flatMap { Self.littleEndianBytes($0.bitPattern) }).base64EncodedString())
            } else {
                json.beginArray()
                for component in vector { json.float(component) }
                json.endArray()
            }
            json.endObject()
        }
        json.endArray()
        json.field("model", model)
        json.key("usage")
        json.beginObject()
        json.field("prompt_tokens", promptTokens)
        json.field("total_tokens", promptTokens)
        json.endObject()
        json.endObject()
        return json.bytes
    }

    /// A deterministic vector of unit length.
    static func unitVector(seed: UInt64, dimensions: Int) -> [Float] {
        var state = seed
        var components: [Double] = []
        components.reserveCapacity(dimensions)
        for _ in 0..<dimensions {
            // SplitMix64 (Steele, Lea, Flood 2014).
            state &+= 0x9E37_79B9_7F4A_7C15
            var mixed = state
            mixed = (mixed ^ (mixed >> 30)) &* 0xBF58_476D_1CE4_E5B9
            mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
            mixed ^= mixed >> 31
            components.append(Double(mixed >> 11) / Double(1 << 53) * 2 - 1)
        }
        let norm = components.reduce(0) { $0 + $1 * $1 }.squareRoot()
        guard norm > 0 else { return [1] + Array(repeating: 0, count: dimensions - 1) }
        return components.map { Float($0 / norm) }
    }

    /// 64-bit FNV-1a.
    static func fnv1a(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash &*= 0x0000_0100_0000_01B3
        }
        return hash
    }

    private static func littleEndianBytes(_ value: UInt32) -> [UInt8] {
        [
            UInt8(truncatingIfNeeded: value), UInt8(truncatingIfNeeded: value >> 8),
            UInt8(truncatingIfNeeded: value >> 16), UInt8(truncatingIfNeeded: value >> 24),
        ]
    }
}
