/// What a workload does with what the detectors find (`redact.action`).
public enum RedactionAction: String, Sendable, Hashable, CaseIterable {
    /// Replace each finding with a typed placeholder before the request leaves.
    case mask
    /// Refuse the request with 400 `pii_detected`, naming the types found.
    case block
    /// Let the request through unchanged; the findings are only counted.
    case log
}
