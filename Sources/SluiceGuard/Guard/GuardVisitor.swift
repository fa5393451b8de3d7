/// Collects, over every text of a request, what ``PromptGuard`` decides on.
struct GuardVisitor: TextVisitor {
    let `guard`: PromptGuard
    var totalBytes = 0
    var denied: String?
    var injections: [String] = []

    mutating func visit(text: UnsafeRawBufferPointer) -> [UInt8]? {
        totalBytes += text.count
        if denied == nil { denied = `guard`.deniedRule(text) }
        for rule in `guard`.injectionRules(text) where !injections.contains(rule) { injections.append(rule) }
        return nil
    }
}
