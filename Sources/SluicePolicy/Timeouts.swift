/// How long Sluice waits on a provider (`timeouts:`).
public struct Timeouts: Sendable, Hashable, Encodable {
    /// TCP connect and TLS handshake (`connect`), 2 s by default.
    public var connect: Duration
    /// From the request sent to the first response byte (`first_byte`), 30 s by default: a
    /// model may think for a while before its first token.
    public var firstByte: Duration
    /// The longest silence between two reads once the response flows (`idle`), 60 s by default.
    public var idle: Duration

    /// Creates timeouts with the defaults for anything not given.
    public init(connect: Duration = .seconds(2), firstByte: Duration = .seconds(30), idle: Duration = .seconds(60)) {
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
    }

    private enum CodingKeys: String, CodingKey {
        case connect
        case firstByte = "first_byte"
        case idle
    }

    /// Encodes with the policy's key names and durations as policy text (`30s`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatDuration(connect), forKey: .connect)
        try container.encode(formatDuration(firstByte), forKey: .firstByte)
        try container.encode(formatDuration(idle), forKey: .idle)
    }
}
