import NIOCore
import NIOHTTP1
import SluiceGuard
import SluiceLLM
import SluicePolicy
import CoreMetrics

/// Redaction and prompt guards before the request leaves, and putting masked values back into the answer.
extension RequestHandler {
    /// Applies the workload's guard and redaction to the request; nil when it was refused (and answered).
    func protect(
        body: ByteBuffer,
        endpoint: APIEndpoint,
        request: ScannedRequest,
        with protection: WorkloadProtection
    ) -> (ByteBuffer, ScannedRequest)? {
        guard let exchange = self.exchange else { return nil }
        let kind: RedactionEndpoint
        switch endpoint {
        case .chatCompletions: kind = .chatCompletions
        case .completions: kind = .completions
        case .embeddings: kind = .embeddings
        case .models: return (body, request)
        }
        if let promptGuard = protection.promptGuard {
            switch body.withUnsafeReadableBytes({ promptGuard.check(body: $0, endpoint: kind) }) {
            case .blocked(let rule, let error):
                exchange.guardOutcome = "blocked:\(rule)"
                self.gateway.metrics.guardCounter(workload: exchange.caller.workloadName ?? "-", rule: rule, verdict: "blocked").increment()
                self.respondError(error)
                return nil
            case .flagged(let rules):
                exchange.guardOutcome = "flagged:" + rules.joined(separator: ",")
                for rule in rules {
                    self.gateway.metrics.guardCounter(workload: exchange.caller.workloadName ?? "-", rule: rule, verdict: "flagged").increment()
                }
            case .pass:
                break
            }
        }
        guard let redactor = protection.redactor else { return (body, request) }
        switch body.withUnsafeReadableBytes({ redactor.redact(body: $0, endpoint: kind) }) {
        case .failure(let error):
            exchange.redactionCounts = "blocked"
            self.gateway.metrics.redactionCounter(workload: exchange.caller.workloadName ?? "-", type: "any", action: "block")
                .increment()
            self.respondError(error)
            return nil
        case .success(let redacted):
            if !redacted.counts.isEmpty {
                exchange.redactionCounts = redacted.counts.description
                self.count(redacted.counts, action: protection.action)
            }
            if (protection.restore && !redacted.masks.isEmpty) || protection.output {
                exchange.masks = protection.restore ? redacted.masks : MaskTable()
                exchange.protection = protection
                exchange.answerKind = kind
            }
            guard let changed = redacted.body else { return (body, request) }
            let buffer = ByteBuffer(bytes: changed)
            // The model's value did not change, but its place in the body may have.
            switch ScannedRequest.scan(buffer, endpoint: endpoint) {
            case .success(let rescanned):
                return (buffer, rescanned)
            case .failure(let error):
                self.respondError(error)
                return nil
            }
        }
    }

    /// Counts findings per type for `sluice_redactions_total` (types only; a value is never kept).
    private func count(_ counts: FindingCounts, action: String) {
        let workload = self.exchange?.caller.workloadName ?? "-"
        for type in counts.types {
            self.gateway.metrics.redactionCounter(workload: workload, type: type.name, action: action)
                .increment(by: counts.byType[type] ?? 0)
        }
    }

    /// A stream restorer that also redacts the model's own output when the workload asks for it.
    func makeStreamRestorer(masks: MaskTable) -> ChatStreamRestorer {
        ChatStreamRestorer(masks: masks, output: self.exchange?.protection?.outputScanner)
    }

    /// A whole answer: the model's own findings masked (`output`), then the request's values restored.
    func rewriteAnswer(_ body: [UInt8], masks: MaskTable) -> [UInt8] {
        var body = body
        if let exchange = self.exchange, let protection = exchange.protection, protection.output,
            let redactor = protection.redactor
        {
            let redacted = redactor.redactAnswer(body: body, endpoint: exchange.answerKind ?? .chatCompletions, masks: masks)
            if let changed = redacted.body { body = changed }
            if !redacted.counts.isEmpty { self.count(redacted.counts, action: "output") }
        }
        return ResponseRestorer.restore(body: body, masks: masks) ?? body
    }

    /// Starts restoring an OpenAI-dialect answer; false when there is nothing to restore in it.
    func beginRestoring(_ head: HTTPResponseHead, masks: MaskTable) -> Bool {
        guard let exchange = self.exchange, let app = self.app else { return false }
        if exchange.isEventStream {
            exchange.restoration = Restoration(.stream(self.makeStreamRestorer(masks: masks)))
            exchange.status = Int(head.status.code)
            exchange.headSent = true
            // Restored values change the stream's length.
            let headers = UpstreamHeaders.relayed(from: head, bodyChanges: true)
            app.write(.head(self.responseHead(status: head.status, headers: headers)))
        } else {
            // The whole answer is needed to rewrite it (and its length): gather it, answer at its end.
            exchange.restoration = Restoration(.gather(head, []))
        }
        return true
    }

    func restore(_ buffer: ByteBuffer) {
        guard let exchange = self.exchange, let app = self.app, let restoration = exchange.restoration else {
            return
        }
        switch restoration.mode {
        case .stream(var restorer):
            let output = buffer.withUnsafeReadableBytes { restorer.feed($0) }
            restoration.mode = .stream(restorer)
            if !output.isEmpty {
                app.write(.body(.byteBuffer(self.allocator.buffer(bytes: output))))
            }
        case .gather(let head, var bytes):
            restoration.mode = .gather(head, [])  // keep the array unique while appending
            bytes.append(contentsOf: buffer.readableBytesView)
            restoration.mode = .gather(head, bytes)
        }
    }

    func finishRestoring() {
        guard let exchange = self.exchange, let app = self.app, let restoration = exchange.restoration,
            let masks = exchange.masks
        else { return }
        switch restoration.mode {
        case .stream(var restorer):
            let output = restorer.finish()
            if !output.isEmpty {
                app.write(.body(.byteBuffer(self.allocator.buffer(bytes: output))))
            }
            self.writeEnd()
        case .gather(let head, let bytes):
            let body = self.rewriteAnswer(bytes, masks: masks)
            var headers = UpstreamHeaders.relayed(from: head)
            headers.replaceOrAdd(name: "content-length", value: String(body.count))
            exchange.status = Int(head.status.code)
            exchange.headSent = true
            app.write(.head(self.responseHead(status: head.status, headers: headers)))
            app.write(.body(.byteBuffer(self.allocator.buffer(bytes: body))))
            self.writeEnd()
        }
    }

    /// Restores OpenAI chunks translated from another dialect.
    func restoreTranslated(_ output: [UInt8], finishing: Bool) -> [UInt8] {
        guard let exchange = self.exchange, let masks = exchange.masks else { return output }
        if exchange.restoration == nil {
            exchange.restoration = Restoration(.stream(self.makeStreamRestorer(masks: masks)))
        }
        guard case .stream(var restorer) = exchange.restoration!.mode else { return output }
        var restored = restorer.feed(output)
        if finishing { restored += restorer.finish() }
        exchange.restoration!.mode = .stream(restorer)
        return restored
    }
}
