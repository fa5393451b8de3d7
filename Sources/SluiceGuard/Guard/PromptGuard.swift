import SluiceLLM

/// Checks a request's prompt against the workload's guards before it leaves.
///
/// Its duties, in order:
/// 1. walk the JSON body and pick out every text that reaches the provider (the same fields
///    as redaction, ``RedactionEndpoint``), decoded;
/// 2. add up their bytes against `max_prompt_bytes`;
/// 3. run the deny patterns and terms over each text;
/// 4. run the injection check (`block` or `flag`) over each text.
///
/// The first rule that refuses, in that order, names the block; in `flag` mode the injection
/// rules tripped are reported and the request goes on. Never reports what matched, only which
/// rule did.
public struct PromptGuard: Sendable {
    /// The rules applied.
    public let rules: GuardRules
    private let injection = InjectionDetector()

    /// A guard applying `rules`.
    public init(rules: GuardRules) {
        self.rules = rules
    }

    /// Checks `body`, a request to `endpoint`.
    public func check(body: [UInt8], endpoint: RedactionEndpoint) -> GuardVerdict {
        body.withUnsafeBytes { check(body: $0, endpoint: endpoint) }
    }

    /// Checks `body`, a request to `endpoint`, read in place. A body that is not JSON passes:
    /// the proxy refuses it before the guards run.
    public func check(body: UnsafeRawBufferPointer, endpoint: RedactionEndpoint) -> GuardVerdict {
        guard !rules.isEmpty else { return .pass }
        var walker = JSONTextWalker(body, visitor: GuardVisitor(guard: self))
        _ = try? walker.rewrite(endpoint.requestSelector)
        return verdict(walker.visitor)
    }

    /// Checks one text on its own (a whole prompt).
    public func check(text: String) -> GuardVerdict {
        var visitor = GuardVisitor(guard: self)
        var copy = text
        _ = copy.withUTF8 { visitor.visit(text: UnsafeRawBufferPointer($0)) }
        return verdict(visitor)
    }

    private func verdict(_ visitor: GuardVisitor) -> GuardVerdict {
        if let limit = rules.maxPromptBytes, visitor.totalBytes > limit {
            return block(GuardRules.maxPromptBytesRule)
        }
        if let rule = visitor.denied { return block(rule) }
        guard !visitor.injections.isEmpty else { return .pass }
        switch rules.injection {
        case .block: return block("injection:\(visitor.injections[0])")
        case .flag: return .flagged(rules: visitor.injections.map { "injection:\($0)" })
        case .off: return .pass
        }
    }

    private func block(_ rule: String) -> GuardVerdict {
        .blocked(rule: rule, error: .promptBlocked(rule: rule))
    }

    /// The deny rule `text` trips first, if any.
    func deniedRule(_ text: UnsafeRawBufferPointer) -> String? {
        for list in rules.denyTerms where !list.findings(in: text, text: String(decoding: text, as: UTF8.self)).isEmpty
        {
            return list.type.name
        }
        guard !rules.denyPatterns.isEmpty else { return nil }
        let string = String(decoding: text, as: UTF8.self)
        for pattern in rules.denyPatterns where !pattern.findings(in: string).isEmpty { return pattern.type.name }
        return nil
    }

    /// The injection rules `text` trips, when the check is on.
    func injectionRules(_ text: UnsafeRawBufferPointer) -> [String] {
        rules.injection == .off ? [] : injection.check(text)
    }
}
