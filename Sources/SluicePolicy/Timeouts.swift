/// How long Sluice waits on a provider (`timeouts:`).
public struct Timeouts: Sendable, Hashable, Encodable {
    /// TCP connect and TLS handshake (`connect`), 2 s by default.
    public var connect: Duration
    /// From the request sent to the first response byte (`first_byte`), 30 s by default: a
    /// model may think for a while before its first token.
    public var firstByte: Duration
    /// The longest silence between two reads once the response flows (`idle`), 60 s by default.
    public var idle: Duration
    /// From the response head of a stream to its first content (`first_token`), 30 s by default:
    /// until then Sluice holds the stream back and may still fall back.
    public var firstToken: Duration
    /// The whole attempt, from sending the request to the answer's last byte (`total`), 10 min
    /// by default.
    public var total: Duration

    /// Creates timeouts with the defaults for anything not given.
    public init(
        connect: Duration = .seconds(2), firstByte: Duration = .seconds(30), idle: Duration = .seconds(60),
        firstToken: Duration = .seconds(30), total: Duration = .seconds(600)
    ) {
        self.connect = connect
        self.firstByte = firstByte
        self.idle = idle
        self.firstToken = firstToken
        self.total = total
    }

    private enum CodingKeys: String, CodingKey {
        case connect
        case firstByte = "first_byte"
        case idle
        case firstToken = "first_token"
        case total
    }

    /// Encodes with the policy's key names and durations as policy text (`30s`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(formatDuration(connect), forKey: .connect)
        try container.encode(formatDuration(firstByte), forKey: .firstByte)
        try container.encode(formatDuration(idle), forKey: .idle)
        try container.encode(formatDuration(firstToken), forKey: .firstToken)
        try container.encode(formatDuration(total), forKey: .total)
    }
}
