import Yams

/// The `models:` section.
extension PolicyDecoder {
    /// Decodes every model route.
    ///
    /// - Parameter knownProviders: the names under `providers:`, which targets must name; nil
    ///   skips that check because the providers section itself is broken.
    /// - Returns: every model name written (nil when the section itself is malformed, so
    ///   workloads' allow-lists are not checked against an empty list) and the routes that decoded.
    mutating func decodeModels(
        _ field: PolicyField, knownProviders: Set<String>?
    ) -> (names: Set<String>?, routes: [String: ModelRoute]) {
        guard let entries = entries(of: field.value, label: field.label) else { return (nil, [:]) }
        var routes: [String: ModelRoute] = [:]
        for entry in entries {
            guard !entry.key.isEmpty else {
                report("model names must not be empty", at: entry.keyPosition)
                continue
            }
            if let route = decodeModel(entry, knownProviders: knownProviders) {
                routes[entry.key] = route
            }
        }
        return (Set(entries.map(\.key)), routes)
    }

    private mutating func decodeModel(_ entry: PolicyField, knownProviders: Set<String>?) -> ModelRoute? {
        let name = entry.key
        let context = "model '\(name)'"
        guard
            let model = fields(
                of: entry.value, label: context, context: context, owner: entry.keyPosition,
                allowed: ["targets", "strategy", "retry", "resume"]
            )
        else { return nil }

        // nil when the strategy is misspelled: then weights are not checked against a guess.
        var strategy: RouteStrategy? = .ordered
        if let strategyField = model["strategy"] {
            strategy = choice(strategyField) { "unknown strategy '\($0)' for model '\(name)'" }
        }
        let targets = require("targets", in: model).flatMap {
            decodeTargets($0, model: name, strategy: strategy, knownProviders: knownProviders)
        }
        let retry = model["retry"].map { decodeRetry($0, model: name) }
        let resume = model["resume"].flatMap { boolean($0) } ?? false

        guard let targets, let strategy else { return nil }
        return ModelRoute(name: name, targets: targets, strategy: strategy, retry: retry, resume: resume)
    }

    private mutating func decodeTargets(
        _ field: PolicyField, model name: String, strategy: RouteStrategy?, knownProviders: Set<String>?
    ) -> [RouteTarget]? {
        guard case .sequence(let items) = field.value else {
            report("'targets' must be a list, got \(field.value.kindDescription)", at: field.value.position)
            return nil
        }
        guard !items.isEmpty else {
            report(
                "model '\(name)' has no targets; list at least one, e.g. - { provider: NAME }", at: field.value.position
            )
            return nil
        }
        var targets: [RouteTarget] = []
        var weightTotal = 0
        for (index, item) in items.enumerated() {
            let label = "target \(index + 1) of model '\(name)'"
            guard case .mapping = item else {
                report(
                    "\(label) must be a mapping such as { provider: NAME, model: NAME }, got \(item.kindDescription)",
                    at: item.position
                )
                continue
            }
            guard
                let target = fields(
                    of: item, label: label, context: label, owner: item.position,
                    allowed: ["provider", "model", "weight"]
                )
            else { continue }
            let provider = require("provider", in: target).flatMap { string($0) }
            if let provider, let providerField = target["provider"], let known = knownProviders,
                !known.contains(provider)
            {
                let defined = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
                report(
                    "model '\(name)' targets unknown provider '\(provider)'; defined providers: \(defined)",
                    at: providerField.value.position
                )
            }
            let modelName = target["model"].flatMap { string($0) }
            if let modelName, let modelField = target["model"], Self.hasControlCharacter(modelName) {
                report(
                    "\(label) has a model name with a control character such as a line break; model names are one line",
                    at: modelField.value.position)
            }
            let weightField = target["weight"]
            let weight = weightField.flatMap { integer($0, atLeast: 0) }
            weightTotal += weight ?? 0

            // A weight without `strategy: weighted` would be silently ignored; say so instead.
            if let weightField, let strategy, strategy != .weighted {
                report(
                    "\(label) has a 'weight', which only strategy weighted uses; "
                        + "set strategy: weighted or remove the weight",
                    at: weightField.keyPosition
                )
            } else if weightField == nil, strategy == .weighted {
                report("\(label) needs a 'weight', since the model's strategy is weighted", at: item.position)
            }
            if let provider {
                targets.append(RouteTarget(provider: provider, model: modelName, weight: weight))
            }
        }
        let allWeightsRead = targets.count == items.count && targets.allSatisfy { $0.weight != nil }
        if strategy == .weighted, allWeightsRead, weightTotal == 0 {
            report(
                "every target of model '\(name)' has weight 0; give at least one a weight above 0",
                at: field.value.position)
        }
        return targets.count == items.count ? targets : nil
    }

    private mutating func decodeRetry(_ field: PolicyField, model name: String) -> RetrySettings {
        var retry = RetrySettings()
        guard
            let given = fields(
                of: field.value, label: field.label, context: "retry of model '\(name)'", owner: field.keyPosition,
                allowed: ["attempts", "backoff", "on"]
            )
        else { return retry }
        if let attempts = given["attempts"].flatMap({ integer($0, atLeast: 1) }) { retry.attempts = attempts }
        if let backoff = given["backoff"].flatMap({ duration($0, allowZero: true) }) { retry.backoff = backoff }
        if let onField = given["on"] {
            guard case .sequence(let items) = onField.value else {
                report(
                    "'on' must be a list such as [connect, timeout, 429, 5xx], got \(onField.value.kindDescription)",
                    at: onField.value.position
                )
                return retry
            }
            var conditions: [String] = []
            for item in items {
                guard let condition = item.text, RetrySettings.isValidCondition(condition) else {
                    let shown = item.text.map { "'\($0)'" } ?? item.kindDescription
                    report(
                        "unknown retry condition \(shown) in model '\(name)'; expected one of: "
                            + RetrySettings.namedConditions.joined(separator: ", ")
                            + ", or an HTTP status from 400 to 599",
                        at: item.position
                    )
                    continue
                }
                conditions.append(condition)
            }
            retry.on = conditions
        }
        return retry
    }
}
