public import SluiceLLM

/// Redacts a request body before it leaves: finds personal data and secrets in every text that
/// reaches the provider and masks, blocks or counts them as the workload's rules say.
///
/// Its duties, in order:
/// 1. walk the JSON body and pick out the endpoint's text fields (``RedactionEndpoint``),
///    decoding each string so escapes cannot hide a value;
/// 2. scan each text with the rules' ``RedactionScanner``;
/// 3. `mask`: replace each finding with its placeholder, the same value getting the same
///    placeholder in every field, re-encode the string and splice it back; every other byte of
///    the body is kept;
/// 4. `block`: refuse with ``SluiceError/piiDetected(types:)`` naming the types found;
///    `log`: keep the body and report the counts.
///
/// ```swift
/// let redactor = RequestRedactor(rules: rules)          // once per policy snapshot
/// switch redactor.redact(body: bytes, endpoint: .chatCompletions) {
/// case .success(let outcome): forward(outcome.body ?? bytes); keep(outcome.masks)
/// case .failure(let error): answer(error)
/// }
/// ```
public struct RequestRedactor: Sendable {
    /// The rules applied.
    public let rules: RedactionRules

    /// A redactor applying `rules`.
    public init(rules: RedactionRules) {
        self.rules = rules
    }

    /// Redacts `body`, a request to `endpoint`.
    public func redact(body: [UInt8], endpoint: RedactionEndpoint) -> Result<RedactedRequest, SluiceError> {
        body.withUnsafeBytes { redact(body: $0, endpoint: endpoint) }
    }

    /// Redacts `body`, a request to `endpoint`, read in place (e.g. a `ByteBuffer`'s readable bytes).
    public func redact(body: UnsafeRawBufferPointer, endpoint: RedactionEndpoint) -> Result<
        RedactedRequest, SluiceError
    > {
        var walker = JSONTextWalker(
            body, visitor: MaskingVisitor(scanner: rules.scanner, masks: rules.action == .mask))
        let rewritten: [UInt8]?
        do {
            rewritten = try walker.rewrite(endpoint.requestSelector)
        } catch {
            return .failure(.invalidJSON(error))
        }
        let visitor = walker.visitor
        if rules.action == .block, !visitor.counts.isEmpty {
            return .failure(.piiDetected(types: visitor.counts.types))
        }
        return .success(
            RedactedRequest(body: rewritten, counts: visitor.counts, action: rules.action, masks: visitor.table))
    }

    /// Redacts the text of a plain (not streamed) answer from `endpoint` (`output: true`).
    ///
    /// Numbering continues from `masks`, so a value the request masked gets its placeholder back
    /// (and the restorer later turns it into the value again), while a value only the model
    /// produced gets a new number that no restorer knows: it stays masked. `masks` itself is not
    /// changed. Returns the new body (nil when unchanged or not JSON) and the counts.
    public func redactAnswer(
        body: [UInt8], endpoint: RedactionEndpoint, masks: MaskTable
    ) -> (body: [UInt8]?, counts: FindingCounts) {
        let visitor = MaskingVisitor(scanner: rules.scanner, masks: true, table: masks)
        return body.withUnsafeBytes { bytes in
            var walker = JSONTextWalker(bytes, visitor: visitor)
            let rewritten = (try? walker.rewrite(endpoint.responseSelector)) ?? nil
            return (rewritten, walker.visitor.counts)
        }
    }
}
