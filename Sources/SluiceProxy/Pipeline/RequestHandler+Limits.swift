import NIOCore
import SluiceLLM
import SluiceLimits
import SluicePolicy

/// Admitting a request under its workload's limits, and settling what it used.
extension RequestHandler {
    /// Admits the request or answers 429 (or 503 when the shared store is down and the policy
    /// fails closed). Returns whether the request goes on.
    func admit(_ request: ScannedRequest, endpoint: APIEndpoint, exchange: Exchange) -> Bool {
        let workload = exchange.caller.workloadName
        // A workload without limits (or no workload) costs nothing here: no estimate, no lock.
        guard let workload, exchange.snapshot.loaded.policy.workloads[workload]?.limits != nil else { return true }
        let defaultCompletion = Int64(
            exchange.snapshot.loaded.policy.workloads[workload]?.limits?.defaultMaxTokens ?? 0)
        let prompt = TokenEstimate.promptTokens(textBytes: request.promptBytes, messages: 0)
        // Embeddings produce no completion tokens. A negative or huge max_tokens is clamped,
        // never trusted: the estimate is what token limits are charged.
        let estimate = TokenEstimate.reservation(
            prompt: prompt, maxTokens: endpoint == .embeddings ? 0 : request.maxTokens.map(Int64.init),
            defaultCompletion: defaultCompletion)
        exchange.promptEstimate = prompt
        switch self.gateway.limits.admit(workload: workload, model: request.model, estimatedTokens: estimate) {
        case .admitted(let ticket, let headers):
            exchange.limitTicket = ticket
            exchange.rateLimitHeaders = headers.fields
            return true
        case .rejected(let rejection, let headers):
            exchange.rateLimitHeaders = headers.fields
            var extra: [(String, String)] = []
            if let wait = rejection.retryAfterNanoseconds {
                extra.append(("retry-after", String(OpenAIDuration.retryAfterSeconds(wait))))
                extra.append(("retry-after-ms", String(OpenAIDuration.retryAfterMilliseconds(wait))))
            }
            if !rejection.shouldRetry { extra.append(("x-should-retry", "false")) }
            let error =
                rejection.kind.isBudget
                ? SluiceError.budgetExceeded(rejection.message) : SluiceError.rateLimited(rejection.message)
            self.respondError(error, extraHeaders: extra)
            return false
        case .storeUnavailable(let message):
            self.respondError(SluiceError.limitsStoreUnavailable(message), extraHeaders: [("retry-after", "1")])
            return false
        }
    }

    /// Settles the request's limits on what it used and returns its cost.
    ///
    /// - A finished answer settles on its `usage` (Sluice asks every stream for it).
    /// - A stream cut before its usage settles on what was delivered: the prompt estimate and
    ///   one token per relayed event.
    /// - A request that got no answer from a provider used nothing: its reservation is released.
    func settleLimits(of exchange: Exchange, usage: Usage?) -> NanoUSD {
        guard let ticket = exchange.limitTicket else { return 0 }
        exchange.limitTicket = nil
        var cost: NanoUSD = 0
        let tokens: Int64?
        if let usage {
            tokens = Int64(usage.promptTokens + usage.completionTokens)
            if let provider = exchange.providerName, let model = exchange.upstreamModel {
                cost = self.gateway.limits.cost(of: usage, provider: provider, model: model)
            }
        } else if exchange.headSent, exchange.hold == nil, let sniffer = exchange.usage, sniffer.framing == .sse {
            // About a token per chunk delivered (counted by the event filter when it read the stream).
            tokens = exchange.promptEstimate + Int64(exchange.eventFilter?.chunks ?? sniffer.dataLines)
        } else if exchange.headSent {
            tokens = nil  // an answer without usage: the estimate stands
        } else {
            tokens = 0
        }
        self.gateway.limits.settle(ticket, tokens: tokens, cost: cost)
        return cost
    }
}
