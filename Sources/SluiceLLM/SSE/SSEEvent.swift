/// One server-sent event as ``SSEParser`` dispatches it.
public struct SSEEvent: Sendable, Hashable {
    /// The `event:` field, or nil when the event had none (the WHATWG default type is `message`).
    /// Anthropic names every event; OpenAI and Gemini name none.
    public var event: String?
    /// The `data:` lines joined by `\n`, without the final one.
    public var data: String
    /// The last event ID seen so far in the stream (it persists across events), or nil if none or empty.
    public var id: String?
    /// The `retry:` field of this event, when it had a valid one.
    public var retry: Int?

    /// Creates an event.
    public init(event: String? = nil, data: String, id: String? = nil, retry: Int? = nil) {
        self.event = event
        self.data = data
        self.id = id
        self.retry = retry
    }

    /// The type the WHATWG rules give the event: its `event:` field, or `message`.
    public var type: String { event ?? "message" }
}
