import CoreMetrics
public import Prometheus

/// The gateway's metrics, registered in one Prometheus registry that `/metrics` renders.
///
/// Each gateway owns its registry (not the process-global `MetricsSystem`), so several gateways in one
/// test process never mix their counts. Metric objects are created through swift-metrics' API with this
/// registry's factory and cached per label set by ``LoopMetrics`` on each event loop.
public final class GatewayMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init() {
        self.registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: self.registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .milliseconds(2500),
            .seconds(5), .seconds(10), .seconds(30), .seconds(60),
        ]
        self.factory = factory
    }

    /// The Prometheus text exposition of every metric.
    public func render() -> String {
        self.registry.emitToString()
    }

    func requestCounter(model: String, provider: String, status: Int) -> CoreMetrics.Counter {
        CoreMetrics.Counter(
            label: "sluice_requests_total",
            dimensions: [("model", model), ("provider", provider), ("status", String(status))],
            factory: self.factory
        )
    }

    func latencyTimer(model: String, provider: String) -> CoreMetrics.Timer {
        CoreMetrics.Timer(
            label: "sluice_request_duration_seconds",
            dimensions: [("model", model), ("provider", provider)],
            preferredDisplayUnit: .seconds,
            factory: self.factory
        )
    }

    func tokenCounter(model: String, provider: String, kind: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(
            label: "sluice_tokens_total",
            dimensions: [("model", model), ("provider", provider), ("kind", kind)],
            factory: self.factory
        )
    }

    func redactionCounter(workload: String, type: String, action: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(
            label: "sluice_redactions_total",
            dimensions: [("workload", workload), ("type", type), ("action", action)],
            factory: self.factory
        )
    }

    func guardCounter(workload: String, rule: String, verdict: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(
            label: "sluice_guard_verdicts_total",
            dimensions: [("workload", workload), ("rule", rule), ("verdict", verdict)],
            factory: self.factory
        )
    }

    func attemptCounter(provider: String, outcome: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(
            label: "sluice_attempts_total",
            dimensions: [("provider", provider), ("outcome", outcome)],
            factory: self.factory
        )
    }

    func reloadCounter(result: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: "sluice_policy_reloads_total", dimensions: [("result", result)], factory: self.factory)
    }

    func limitRejectionCounter(workload: String, limit: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(
            label: "sluice_limit_rejections_total", dimensions: [("workload", workload), ("limit", limit)],
            factory: self.factory)
    }

    func spendCounter(workload: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(
            label: "sluice_spend_nano_usd_total", dimensions: [("workload", workload)], factory: self.factory)
    }

    func limitsStoreErrorCounter(operation: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(
            label: "sluice_limits_store_errors_total", dimensions: [("operation", operation)], factory: self.factory)
    }

    func upstreamConnectionsCounter(provider: String) -> CoreMetrics.Counter {
        CoreMetrics.Counter(label: "sluice_upstream_connections_opened_total", dimensions: [("provider", provider)], factory: self.factory)
    }
}

/// Per-event-loop cache of metric handles, so the request path pays no lookup in the registry (and its
/// lock) for every request: one dictionary lookup per model and provider, and none while requests keep
/// going to the model and provider of the one before (compared as strings, which the same string's
/// storage answers at once).
final class LoopMetrics {
    /// The handles of one model at one provider.
    private final class ModelHandles {
        let model: String
        let provider: String
        let latency: CoreMetrics.Timer
        /// Made at the first answer with usage.
        var tokens: (prompt: CoreMetrics.Counter, completion: CoreMetrics.Counter)?
        /// By status; a handful at most, searched in order.
        var requests: [(status: Int, counter: CoreMetrics.Counter)] = []

        init(model: String, provider: String, metrics: GatewayMetrics) {
            self.model = model
            self.provider = provider
            self.latency = metrics.latencyTimer(model: model, provider: provider)
        }
    }

    private struct Key: Hashable {
        var model: String
        var provider: String
    }

    private let metrics: GatewayMetrics
    private var handles: [Key: ModelHandles] = [:]
    private var last: ModelHandles?

    init(metrics: GatewayMetrics) {
        self.metrics = metrics
    }

    func record(
        model: String, provider: String, status: Int, latencyNanoseconds: Int64, promptTokens: Int?,
        completionTokens: Int?
    ) {
        let handles = self.handles(model: model, provider: provider)
        if let index = handles.requests.firstIndex(where: { $0.status == status }) {
            handles.requests[index].counter.increment()
        } else {
            let counter = self.metrics.requestCounter(model: model, provider: provider, status: status)
            handles.requests.append((status, counter))
            counter.increment()
        }
        handles.latency.recordNanoseconds(latencyNanoseconds)
        if promptTokens != nil || completionTokens != nil {
            let counters =
                handles.tokens
                ?? (
                    self.metrics.tokenCounter(model: model, provider: provider, kind: "prompt"),
                    self.metrics.tokenCounter(model: model, provider: provider, kind: "completion")
                )
            handles.tokens = counters
            if let promptTokens { counters.prompt.increment(by: promptTokens) }
            if let completionTokens { counters.completion.increment(by: completionTokens) }
        }
    }

    private func handles(model: String, provider: String) -> ModelHandles {
        if let last = self.last, last.model == model, last.provider == provider { return last }
        let key = Key(model: model, provider: provider)
        let handles = self.handles[key] ?? ModelHandles(model: model, provider: provider, metrics: self.metrics)
        self.handles[key] = handles
        self.last = handles
        return handles
    }
}
