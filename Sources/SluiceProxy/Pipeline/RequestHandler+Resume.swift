import NIOCore
import NIOHTTP1
import SluiceLLM
import SluicePolicy
import SluiceRouting

/// `resume: true`: a stream that fails after its first content reached the app is continued on
/// the next target that accepts an assistant prefill (Anthropic's Messages API continues a final
/// assistant turn), and the continuation is spliced into the same stream. Targets that take no
/// prefill are passed over; one that refuses it is treated as failed, and the app never sees the
/// refusal: if no target continues, the stream ends with the usual error event.
extension RequestHandler {
    /// Starts keeping the transcript when the route may resume.
    func startTranscriptIfResumable() {
        guard let exchange = self.exchange, exchange.transcript == nil, let run = exchange.run,
            !exchange.snapshot.resumableRoutes.isEmpty, exchange.pending?.endpoint == .chatCompletions,
            exchange.snapshot.resumableRoutes.contains(run.plan.routeName)
        else { return }
        exchange.transcript = StreamTranscript()
    }

    /// Tries to continue the stream after `error`; false when it cannot be (then the caller
    /// ends the stream with an error event).
    func resume(after error: UpstreamError) -> Bool {
        guard let exchange = self.exchange, exchange.run != nil, let transcript = exchange.transcript,
            transcript.isResumable, !transcript.text.isEmpty, let attempt = exchange.attempt
        else { return false }
        exchange.attempt = nil
        let step = self.fail(attempt, Self.attemptFailure(for: error), in: exchange)
        return self.continueStream(step)
    }

    /// Sends the continuation to the first target of `step` onwards that takes a prefill.
    func continueStream(_ step: FallbackRun.Step) -> Bool {
        guard let exchange = self.exchange, let pending = exchange.pending, let transcript = exchange.transcript
        else { return false }
        var step = step
        while case .attempt(let next) = step {
            guard let provider = exchange.snapshot.providers[next.target.provider], provider.type == .anthropic else {
                step = self.gateway.withTargetBook { book in exchange.run!.skipped(next, book: &book, at: .now) }
                continue
            }
            let base = exchange.resumeBase ?? pending.body
            exchange.resumeBase = base
            guard
                let continuation = StreamTranscript.continuation(
                    of: Array(base.readableBytesView), prefill: transcript.text),
                case .success(let scanned) = ScannedRequest.scan(
                    ByteBuffer(bytes: continuation), endpoint: .chatCompletions)
            else {
                self.gateway.withTargetBook { book in exchange.run!.abandoned(next, book: &book, at: .now) }
                return false
            }
            exchange.pending!.body = ByteBuffer(bytes: continuation)
            exchange.pending!.scanned = scanned
            exchange.attempt = next
            exchange.note = "stream resumed on \(next.target.provider)"
            self.send(to: provider, model: next.target.model)
            return true
        }
        return false
    }

    /// The head of a continuation: a stream is spliced in (no second head for the app); anything
    /// else (a refused prefill) counts as the target's failure and the next one is tried.
    func resumedHead(_ head: HTTPResponseHead) {
        guard let exchange = self.exchange else { return }
        if head.status == .ok, let translation = exchange.translation, translation.isStream {
            translation.status = 200
            translation.stream = AnthropicStreamTranslator(
                provider: translation.provider, includeUsage: translation.includeUsage, created: exchange.created)
            exchange.usage = UsageSniffer(framing: .sse)
            exchange.firstByteAt = .now()
            return
        }
        exchange.call?.cancel()
        exchange.call = nil
        self.endAttemptTimers()
        if let attempt = exchange.attempt {
            exchange.attempt = nil
            let step = self.fail(attempt, .status(Int(head.status.code), retryAfter: nil), in: exchange)
            if self.continueStream(step) { return }
        }
        self.endStream(with: SluiceError.upstreamProtocol(
            provider: exchange.providerName ?? "-",
            detail: "the answer broke off and no target could continue it"))
    }

    /// Ends a stream already under way with an error event in OpenAI's dialect and no `[DONE]`,
    /// so no client can take the part it got for the whole answer.
    func endStream(with error: SluiceError) {
        guard let app = self.app, let exchange = self.exchange else { return }
        exchange.errorCode = exchange.errorCode ?? "upstream_cut"
        let event = error.openAIStreamErrorEvent()
        app.write(.body(.byteBuffer(self.allocator.buffer(bytes: event))))
        self.writeEnd()
    }
}
