import CoreMetrics
import Logging
import NIOCore
import NIOHTTP1
import SluiceLLM
import SluicePolicy
import SluiceRouting

/// Fallback across a model's targets: plan, attempt, and on a failure before anything reached the app,
/// retry or move on as the route's `retry` says. The decisions are SluiceRouting's pure state machines;
/// this file only feeds them what happened and acts on their answer.
extension RequestHandler {
    /// Plans the request's targets and starts the first attempt.
    func startFallbackRun(model: String) {
        guard let exchange = self.exchange else { return }
        let snapshot = exchange.snapshot
        var random = SystemRandomNumberGenerator()
        let now = MonotonicInstant.now
        let plan = self.gateway.withTargetBook { book in
            snapshot.planner.plan(model: model, book: book, at: now, using: &random)
        }
        guard let plan else {
            self.respondError(SluiceError.modelNotFound(model, available: snapshot.modelNames))
            return
        }
        exchange.run = FallbackRun(plan: plan, retry: snapshot.retryPolicy(for: plan.routeName))
        let step = self.gateway.withTargetBook { book in exchange.run!.next(book: &book, at: now) }
        self.follow(step)
    }

    /// Acts on what the fallback run decided.
    func follow(_ step: FallbackRun.Step) {
        guard let exchange = self.exchange, self.app != nil else { return }
        switch step {
        case .attempt(let attempt):
            guard let provider = exchange.snapshot.providers[attempt.target.provider] else {
                self.respondError(SluiceError.internal("target names unknown provider '\(attempt.target.provider)'"))
                return
            }
            exchange.attempt = attempt
            self.send(to: provider, model: attempt.target.model)
        case .wait(let pause):
            self.loop.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(Int64(pause.nanosecondsClamped))) {
                [weak self] in
                guard let self, self.exchange === exchange, exchange.run != nil else { return }
                let step = self.gateway.withTargetBook { book in exchange.run!.next(book: &book, at: .now) }
                self.follow(step)
            }
        case .giveUp:
            exchange.attempt = nil
            self.respondError(exchange.lastError ?? SluiceError.noHealthyTarget(model: exchange.model ?? "-"))
        }
    }

    /// A provider's error status arrived before anything was relayed: if the route retries it, drop this
    /// answer (closing its connection) and go on; if not, it is the answer the app gets.
    func movedOn(after head: HTTPResponseHead) -> Bool {
        guard let exchange = self.exchange, let attempt = exchange.attempt, exchange.run != nil else { return false }
        guard head.status.code >= 400 else {
            exchange.firstByteAt = .now()
            return false
        }
        let failure = AttemptFailure.status(Int(head.status.code), retryAfter: Self.retryAfter(head.headers))
        exchange.attempt = nil
        let step = self.fail(attempt, failure, in: exchange)
        if case .giveUp = step { return false }
        exchange.call?.cancel()
        exchange.call = nil
        self.follow(step)
        return true
    }

    /// Whether to read a 4xx answer whole before deciding: when the route falls back on
    /// `context_length` or `content_filter`, only the error body says which it is.
    func holdsForClassification(_ head: HTTPResponseHead) -> Bool {
        guard let exchange = self.exchange, exchange.attempt != nil, let run = exchange.run,
            ProviderRefusal.mayClassify(status: Int(head.status.code)),
            run.retry.conditions.contains(.contextLength) || run.retry.conditions.contains(.contentFilter)
        else { return false }
        exchange.heldError = HeldError(head: head)
        return true
    }

    /// A held error answer is complete: fall back if it is a refusal the route moves on from,
    /// otherwise it is the app's answer (the provider's own words, in the app's dialect).
    func decide(on held: HeldError) {
        guard let exchange = self.exchange, let attempt = exchange.attempt, exchange.run != nil else { return }
        let status = Int(held.head.status.code)
        let failure: AttemptFailure
        switch ProviderRefusal.classify(status: status, body: held.body) {
        case .contextLength: failure = .contextLength
        case .contentFilter: failure = .contentFilter
        case nil: failure = .status(status, retryAfter: nil)
        }
        exchange.attempt = nil
        let step = self.fail(attempt, failure, in: exchange)
        if case .giveUp = step {
            self.relay(held)
        } else {
            self.follow(step)
        }
    }

    /// Answers the app with a provider's error as it came (translated for Anthropic).
    private func relay(_ held: HeldError) {
        guard let exchange = self.exchange else { return }
        let status = Int(held.head.status.code)
        exchange.errorCode = ProviderRefusal.classify(status: status, body: held.body).map {
            $0 == .contextLength ? "context_length_exceeded" : "content_filter"
        }
        if let translation = exchange.translation {
            let error = AnthropicError(status: status, body: held.body, retryAfterSeconds: translation.retryAfterSeconds)
            exchange.errorCode = exchange.errorCode ?? error.type
            self.respond(status: HTTPResponseStatus(statusCode: error.httpStatus), body: error.openAIBody(), contentType: "application/json")
            return
        }
        let contentType = held.head.headers.first(name: "content-type") ?? "application/json"
        self.respond(status: held.head.status, body: held.body, contentType: contentType)
    }

    /// The attempt failed before its answer began (no connection, a timeout, a reset): retry, fall back,
    /// or tell the app.
    func failedBeforeAnswer(_ error: UpstreamError) {
        guard let exchange = self.exchange else { return }
        exchange.lastError = SluiceError.from(error, provider: exchange.providerName ?? "-")
        guard let attempt = exchange.attempt, exchange.run != nil else {
            self.respondError(exchange.lastError!)
            return
        }
        exchange.attempt = nil
        self.follow(self.fail(attempt, Self.attemptFailure(for: error), in: exchange))
    }

    /// Records a failure after the answer began (the stream was cut): it counts against the target.
    func recordFailure(of exchange: Exchange, _ failure: AttemptFailure) {
        guard let attempt = exchange.attempt, exchange.run != nil else { return }
        exchange.attempt = nil
        _ = self.fail(attempt, failure, in: exchange)
    }

    /// Records how the attempt still open at the end of the exchange went.
    func settleAttempt(of exchange: Exchange, appWentAway: Bool) {
        guard let attempt = exchange.attempt, exchange.run != nil else { return }
        exchange.attempt = nil
        let now = MonotonicInstant.now
        let firstByte = exchange.firstByteAt.map { Duration.nanoseconds(($0 - exchange.startedAt).nanoseconds) }
        self.gateway.withTargetBook { book in
            if appWentAway {
                exchange.run!.abandoned(attempt, book: &book, at: now)
            } else {
                exchange.run!.succeeded(attempt, firstByteAfter: firstByte, book: &book, at: now)
            }
        }
        if attempt.number > 1 {
            self.logAttempt(attempt, outcome: appWentAway ? "abandoned" : "success", in: exchange)
        }
    }

    func fail(_ attempt: FallbackRun.Attempt, _ failure: AttemptFailure, in exchange: Exchange) -> FallbackRun.Step {
        var random = SystemRandomNumberGenerator()
        let step = self.gateway.withTargetBook { book in
            exchange.run!.failed(attempt, failure, book: &book, at: .now, using: &random)
        }
        self.logAttempt(attempt, outcome: failure.description, in: exchange)
        return step
    }

    /// One log line per failed attempt (and per success after a fallback), naming the target.
    private func logAttempt(_ attempt: FallbackRun.Attempt, outcome: String, in exchange: Exchange) {
        var metadata = Logger.Metadata(minimumCapacity: 6)
        metadata["request_id"] = .string(exchange.requestID)
        metadata["attempt"] = .stringConvertible(attempt.number)
        metadata["provider"] = .string(attempt.target.provider)
        metadata["upstream_model"] = .string(attempt.target.model)
        metadata["outcome"] = .string(outcome)
        let elapsed = MonotonicInstant.now - attempt.startedAt
        metadata["latency_ms"] = .stringConvertible(Double(elapsed.nanosecondsClamped / 1000) / 1000)
        self.gateway.logger.info("attempt", metadata: metadata)
        self.gateway.metrics.attemptCounter(provider: attempt.target.provider, outcome: outcome).increment()
    }

    /// What `retry.on` calls an upstream failure.
    static func attemptFailure(for error: UpstreamError) -> AttemptFailure {
        switch error {
        case .connect, .tls, .closed, .cancelled: return .connect
        case .malformed: return .malformed
        case .timeout(_, let phase, _):
            switch phase {
            case "connect": return .timeout(.connect)
            case "idle": return .timeout(.idle)
            case "first_token": return .timeout(.firstToken)
            case "total": return .timeout(.total)
            default: return .timeout(.firstByte)
            }
        }
    }

    /// `retry-after` in seconds (or an HTTP date, which is not honoured), or `retry-after-ms`.
    static func retryAfter(_ headers: HTTPHeaders) -> Duration? {
        if let milliseconds = headers.first(name: "retry-after-ms").flatMap({ Int64($0) }) {
            return .milliseconds(milliseconds)
        }
        if let seconds = headers.first(name: "retry-after").flatMap({ Int64($0) }) {
            return .seconds(seconds)
        }
        return nil
    }
}

extension MonotonicInstant {
    /// Now on the uptime clock that NIO's deadlines use.
    static var now: MonotonicInstant {
        MonotonicInstant(nanoseconds: Int64(NIODeadline.now().uptimeNanoseconds))
    }
}

extension Duration {
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
