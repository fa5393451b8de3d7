import SluiceGuard
import SluiceLLM
import SluicePolicy

/// A workload's `redact` and `guard` settings compiled once per policy snapshot.
struct WorkloadProtection: Sendable {
    var redactor: RequestRedactor?
    var promptGuard: PromptGuard?
    /// Put masked values back into the answer.
    var restore: Bool
    /// Also redact what the model returns.
    var output: Bool
    /// The scanner that redacts answers when `output` is on.
    var outputScanner: RedactionScanner?
    /// The workload's action, for metrics.
    var action: String

    init?(_ workload: WorkloadConfig) throws(PolicyCompileError) {
        guard workload.redaction != nil || workload.promptGuard != nil else { return nil }
        if let settings = workload.redaction {
            do {
                let rules = try RedactionRules(
                    detectors: settings.detectors,
                    patterns: settings.custom.compactMap { rule in rule.pattern.map { (rule.name, $0) } },
                    terms: settings.custom.filter { !$0.terms.isEmpty }.map { ($0.name, $0.terms) },
                    action: RedactionAction(rawValue: settings.action.rawValue) ?? .mask,
                    restore: settings.restore,
                    output: settings.output
                )
                self.redactor = RequestRedactor(rules: rules)
                self.outputScanner = settings.output ? rules.scanner : nil
            } catch {
                throw PolicyCompileError("workload '\(workload.name)': redact: \(error)")
            }
            self.restore = settings.restore && settings.action == .mask
            self.output = settings.output
            self.action = settings.action.rawValue
        } else {
            self.restore = false
            self.output = false
            self.action = "none"
        }
        if let settings = workload.promptGuard {
            do {
                let rules = try GuardRules(
                    denyPatterns: settings.deny.compactMap { rule in rule.pattern.map { (rule.name, $0) } },
                    denyTerms: settings.deny.filter { !$0.terms.isEmpty }.map { ($0.name, $0.terms) },
                    injection: InjectionMode(rawValue: settings.injection.rawValue) ?? .off,
                    maxPromptBytes: settings.maxPromptBytes
                )
                self.promptGuard = PromptGuard(rules: rules)
            } catch {
                throw PolicyCompileError("workload '\(workload.name)': guard: \(error)")
            }
        }
    }
}
