import Yams

/// A workload's `limits:` block, the top-level `limits_store:` and `prices:` sections.
extension PolicyDecoder {
    /// The keys `limits:` reads.
    static let limitKeys = [
        "requests_per_minute", "tokens_per_minute", "max_concurrent", "default_max_tokens", "budget", "models",
    ]
    /// The keys a model's limits inside `limits.models` read.
    static let modelLimitKeys = ["requests_per_minute", "tokens_per_minute", "max_concurrent"]
    /// The keys `budget:` reads.
    static let budgetKeys = ["usd_per_day", "usd_per_month"]
    /// The keys `limits_store:` reads.
    static let limitsStoreKeys = ["postgres", "lease", "on_store_error"]
    /// The keys of one `prices:` entry.
    static let priceKeys = ["input", "cached_input", "output"]

    /// Decodes a workload's `limits:` block; nil when it has a problem (reported).
    ///
    /// - Parameter knownModels: the names under `models:`, which `limits.models` must name; nil
    ///   skips that check because the models section itself is broken.
    mutating func decodeLimits(_ field: PolicyField, workload name: String, knownModels: Set<String>?) -> LimitSettings? {
        let context = "'limits' of workload '\(name)'"
        let before = issues.count
        guard
            let given = fields(
                of: field.value, label: context, context: context, owner: field.keyPosition, allowed: Self.limitKeys)
        else { return nil }
        var settings = LimitSettings(rates: decodeRates(given))
        if let defaultMaxTokens = given["default_max_tokens"] {
            settings.defaultMaxTokens = integer(defaultMaxTokens, atLeast: 1) ?? LimitSettings.standardDefaultMaxTokens
        }
        if let budget = given["budget"] { settings.budget = decodeBudget(budget, workload: name) }
        if let models = given["models"], let entries = entries(of: models.value, label: "'models' in \(context)") {
            for entry in entries {
                if let known = knownModels, !known.contains(entry.key) {
                    let defined = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
                    report(
                        "limits of workload '\(name)' name unknown model \(entry.label); defined models: \(defined)",
                        at: entry.keyPosition)
                }
                let modelContext = "limits of model \(entry.label) in workload '\(name)'"
                guard
                    let rates = fields(
                        of: entry.value, label: modelContext, context: modelContext, owner: entry.keyPosition,
                        allowed: Self.modelLimitKeys)
                else { continue }
                settings.models[entry.key] = decodeRates(rates)
            }
        }
        return issues.count == before ? settings : nil
    }

    /// `requests_per_minute`, `tokens_per_minute`, `max_concurrent`: each a positive integer.
    private mutating func decodeRates(_ given: PolicyFields) -> RateLimits {
        var rates = RateLimits()
        if let field = given["requests_per_minute"] { rates.requestsPerMinute = integer(field, atLeast: 1) }
        if let field = given["tokens_per_minute"] { rates.tokensPerMinute = integer(field, atLeast: 1) }
        if let field = given["max_concurrent"] { rates.maxConcurrent = integer(field, atLeast: 1) }
        return rates
    }

    /// `budget: { usd_per_day: 50, usd_per_month: 1000 }`.
    private mutating func decodeBudget(_ field: PolicyField, workload name: String) -> BudgetSettings? {
        let context = "'budget' of workload '\(name)'"
        guard
            let given = fields(
                of: field.value, label: context, context: context, owner: field.keyPosition, allowed: Self.budgetKeys)
        else { return nil }
        var budget = BudgetSettings()
        if let day = given["usd_per_day"] { budget.nanoUSDPerDay = dollars(day) }
        if let month = given["usd_per_month"] { budget.nanoUSDPerMonth = dollars(month) }
        if budget.nanoUSDPerDay == nil, budget.nanoUSDPerMonth == nil, given["usd_per_day"] == nil,
            given["usd_per_month"] == nil
        {
            report("\(context) sets no limit; give usd_per_day, usd_per_month or both", at: field.keyPosition)
            return nil
        }
        return budget
    }

    /// An amount of US dollars such as `50` or `12.75`, in billionths of a dollar; 0 is allowed
    /// (a free model, or a workload that may spend nothing).
    mutating func dollars(_ field: PolicyField) -> Int64? {
        guard case .scalar = field.value, let text = field.value.text else {
            report(
                "\(field.label) must be an amount of US dollars such as 50 or 12.75, got \(field.value.kindDescription)",
                at: field.value.position)
            return nil
        }
        guard let (number, rest) = DecimalText.prefix(of: Substring(text)), rest.isEmpty,
            let (nano, exact) = number.scaled(by: 1_000_000_000), exact
        else {
            report(
                "\(field.label) is not an amount of US dollars: \(quoted(text)); write e.g. 50 or 12.75 "
                    + "(no currency sign, at most 9 decimals)",
                at: field.value.position)
            return nil
        }
        return nano
    }

    /// Decodes `limits_store:`; nil when it has a problem (reported). Its URL's value goes to
    /// ``limitsStoreURL``.
    mutating func decodeLimitsStore(_ field: PolicyField) -> LimitsStoreSettings? {
        let context = "limits_store"
        let before = issues.count
        guard
            let given = fields(
                of: field.value, label: "'limits_store'", context: context, owner: field.keyPosition,
                allowed: Self.limitsStoreKeys)
        else { return nil }
        var url: SecretRef?
        if let postgres = require("postgres", in: given) {
            let postgresContext = "'postgres' in limits_store"
            if let store = fields(
                of: postgres.value, label: postgresContext, context: postgresContext, owner: postgres.keyPosition,
                allowed: ["url"]), let urlField = require("url", in: store)
            {
                let owner = "the PostgreSQL URL of limits_store"
                if let secret = decodeSecret(urlField, label: owner, owner: owner) {
                    url = secret.ref
                    limitsStoreURL = secret.value
                    if let value = secret.value { checkPostgresURL(value.value, at: urlField.value.position) }
                }
            }
        }
        var leaseBasisPoints = LimitsStoreSettings.standardLeaseBasisPoints
        if let lease = given["lease"] { leaseBasisPoints = percentage(lease) ?? leaseBasisPoints }
        var onError = LimitsStoreSettings.OnError.failOpen
        if let mode = given["on_store_error"] {
            onError = choice(mode) { "unknown on_store_error '\($0)'" } ?? .failOpen
        }
        guard issues.count == before, let url else { return nil }
        return LimitsStoreSettings(postgresURL: url, leaseBasisPoints: leaseBasisPoints, onError: onError)
    }

    /// The URL must be a `postgres://` or `postgresql://` URL; its text never enters a message.
    private mutating func checkPostgresURL(_ url: String, at position: SourcePosition) {
        guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
            report(
                "the PostgreSQL URL of limits_store must start with postgres:// or postgresql:// "
                    + "(postgres://USER:PASSWORD@HOST:PORT/DATABASE)",
                at: position)
            return
        }
    }

    /// `5%`: a share above 0 and at most 100%, in basis points.
    private mutating func percentage(_ field: PolicyField) -> Int? {
        guard let text = field.value.text, text.hasSuffix("%"),
            let (number, rest) = DecimalText.prefix(of: text.dropLast()), rest.isEmpty,
            let (basisPoints, exact) = number.scaled(by: 100), exact
        else {
            report(
                "\(field.label) must be a percentage of each limit such as 5% or 2.5%, got "
                    + (field.value.text.map { quoted($0) } ?? field.value.kindDescription),
                at: field.value.position)
            return nil
        }
        guard basisPoints > 0, basisPoints <= 10_000 else {
            report("\(field.label) must be above 0% and at most 100%, got \(quoted(text))", at: field.value.position)
            return nil
        }
        return Int(basisPoints)
    }

    /// Decodes `prices:` (`provider/model` or `model` to USD per million tokens).
    mutating func decodePrices(_ field: PolicyField, knownProviders: Set<String>?) -> [String: PriceSettings] {
        guard let entries = entries(of: field.value, label: "'prices'") else { return [:] }
        var prices: [String: PriceSettings] = [:]
        for entry in entries {
            if let slash = entry.key.firstIndex(of: "/"), let known = knownProviders {
                let provider = String(entry.key[..<slash])
                if !known.contains(provider) {
                    let defined = known.isEmpty ? "none" : known.sorted().joined(separator: ", ")
                    report(
                        "price \(entry.label) names unknown provider '\(provider)'; defined providers: \(defined)",
                        at: entry.keyPosition)
                }
            }
            let context = "price \(entry.label)"
            guard
                let given = fields(
                    of: entry.value, label: context, context: context, owner: entry.keyPosition,
                    allowed: Self.priceKeys)
            else { continue }
            let input = require("input", in: given).flatMap { dollars($0) }
            let output = require("output", in: given).flatMap { dollars($0) }
            let cached = given["cached_input"].flatMap { dollars($0) }
            if let input, let output {
                prices[entry.key] = PriceSettings(input: input, cachedInput: cached, output: output)
            }
        }
        return prices
    }
}
