#if canImport(Glibc)
import Glibc
#endif
import NIOCore
import NIOHTTP1
import SluiceGuard
import SluiceLLM
import SluiceLimits
import SluicePolicy
import SluiceRouting

/// What the request handler knows about the request it is answering, from head to access-log line.
final class Exchange {
    let requestID: String
    let method: HTTPMethod
    let path: String
    let startedAt = NIODeadline.now()
    /// Unix seconds, for the `created` field of answers Sluice writes itself.
    let created: Int
    /// The policy this request runs under from start to end, even if a reload happens meanwhile.
    let snapshot: PolicySnapshot
    var keepAlive: Bool
    /// Who is calling, once the request's key was checked.
    var caller: CallerIdentity = .anonymous
    var model: String?
    var upstreamModel: String?
    var providerName: String?
    var stream = false
    var status: Int?
    var errorCode: String?
    /// Whether the response head already went to the app (after that, errors cut the response).
    var headSent = false
    /// Whether the answer relayed to the app is a server-sent-event stream.
    var isEventStream = false
    var call: UpstreamCall?
    /// The request as received, kept to send it again to the next target.
    var pending: PendingRequest?
    /// The fallback plan and where it stands.
    var run: FallbackRun?
    /// The attempt in flight, until its outcome is recorded.
    var attempt: FallbackRun.Attempt?
    /// What the app hears if every target fails before answering.
    var lastError: SluiceError?
    /// When the attempt's response head arrived (time to first byte feeds least_latency).
    var firstByteAt: NIODeadline?
    /// Masked values to put back into the answer (`redact.restore`; empty when not restoring); nil when
    /// the answer needs no rewriting at all.
    var masks: MaskTable?
    /// The workload's protection, when its answers are rewritten (restore or output redaction).
    var protection: WorkloadProtection?
    /// Which body selector reads the answer (for output redaction).
    var answerKind: RedactionEndpoint?
    /// Restoring an upstream answer: a stream restored chunk by chunk, or a whole answer gathered.
    var restoration: Restoration?
    /// Findings per type and the guard's verdict, for the access log (never a value).
    var redactionCounts: String?
    var guardOutcome: String?
    /// Set when the provider speaks another dialect: its answer is translated before the app sees it.
    var translation: AnthropicTranslation?
    var usage: UsageSniffer?
    /// The request's hold on its workload's limits, settled when the exchange ends.
    var limitTicket: LimitTicket?
    /// The prompt part of the token estimate, for settling a stream cut before its usage.
    var promptEstimate: Int64 = 0
    /// OpenAI's `x-ratelimit-*` headers for this answer (empty when no limit applies).
    var rateLimitHeaders: [(name: String, value: String)] = []
    /// An error answer held back until its body says whether it is a context-length or
    /// content-filter refusal (which the route may fall back on); nil otherwise.
    var heldError: HeldError?
    /// A stream's head and preamble, held until its first content (see ``StreamHold``).
    var hold: StreamHold?
    /// The attempt's clocks (``AttemptClock``), cancelled when the attempt ends; in fields of their own,
    /// not a list made for every request.
    var totalClock: LoopTimers.Timer?
    var firstTokenClock: LoopTimers.Timer?
    /// Ended, and waiting for the turn's flushes to be counted and logged (``flushed()``).
    var settled: Settled?
    /// Cleans an OpenAI stream for the app: the usage chunk Sluice asked for when the app did
    /// not, malformed chunks; notes `[DONE]`.
    var eventFilter: StreamEventFilter?
    /// What the app was told so far, when the route may resume a failed stream elsewhere.
    var transcript: StreamTranscript?
    /// The request as the app sent it, before a resume added its prefill.
    var resumeBase: ByteBuffer?
    /// Something the access log line should say about how the answer went.
    var note: String?

    init(requestID: String, method: HTTPMethod, path: String, keepAlive: Bool, snapshot: PolicySnapshot) {
        self.requestID = requestID
        self.method = method
        self.path = path
        self.keepAlive = keepAlive
        self.snapshot = snapshot
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        self.created = Int(now.tv_sec)
    }
}

/// A stream held back until its first content, so a failure before it can still fall back.
struct StreamHold {
    var head: HTTPResponseHead
    var buffered: [ByteBuffer] = []
    var bytes = 0
    var detector = FirstContentDetector()
    /// Stopped when the first content lets the stream go.
    var firstTokenTimer: LoopTimers.Timer?
    /// Past this much preamble the stream is let go anyway.
    static let maxBytes = 16 * 1024
}

/// A provider's error answer read whole before deciding what the app hears.
struct HeldError {
    var head: HTTPResponseHead
    var body: [UInt8] = []
    /// At most this much of it is read: error bodies are small.
    static let maxBytes = 64 * 1024
}

/// What is needed to send a request (again) to any target of its plan.
struct PendingRequest {
    var head: HTTPRequestHead
    var endpoint: APIEndpoint
    var body: ByteBuffer
    var scanned: ScannedRequest
}

/// The state of translating one Anthropic answer into OpenAI's format.
final class AnthropicTranslation {
    let provider: String
    let isStream: Bool
    let includeUsage: Bool
    /// For a stream answered 200: translated event by event as it arrives.
    var stream: AnthropicStreamTranslator?
    /// For a whole answer or an error: gathered, then translated at its end.
    var gathered: [UInt8] = []
    var status = 0
    var retryAfterSeconds: Int?

    /// The largest whole (non-streamed) answer Sluice gathers for translation.
    static let maxGatheredBytes = 32 << 20

    init(provider: String, isStream: Bool, includeUsage: Bool) {
        self.provider = provider
        self.isStream = isStream
        self.includeUsage = includeUsage
    }
}

/// Putting masked values back into an answer on its way to the app.
final class Restoration {
    enum Mode {
        case stream(ChatStreamRestorer)
        case gather(HTTPResponseHead, [UInt8])
    }

    var mode: Mode

    init(_ mode: Mode) {
        self.mode = mode
    }
}

// MARK: - Accounting after the flush

extension Exchange: FlushFollower {
    /// How an ended exchange is counted and logged once its answer has been handed to the socket.
    struct Settled {
        /// The handler that counts and logs it; held only until then.
        let accountant: RequestHandler
        let status: Int
        let note: String?
        let elapsed: TimeAmount
        let usage: Usage?
        let cost: NanoUSD
    }

    func flushed() {
        guard let settled = self.settled else { return }
        self.settled = nil
        settled.accountant.account(self, settled)
    }
}
