import Yams

/// Reading single values: each reports its own "must be X, got Y" problem and returns nil.
extension PolicyDecoder {
    /// A non-empty text value: a name, a path, a model.
    mutating func string(_ field: PolicyField) -> String? {
        guard let text = field.value.text else {
            report("\(field.label) must be a string, got \(field.value.kindDescription)", at: field.value.position)
            return nil
        }
        guard !text.isEmpty else {
            report("\(field.label) must not be empty", at: field.value.position)
            return nil
        }
        return text
    }

    /// A YAML boolean: `true`/`false` (and YAML 1.1's `yes`/`no`/`on`/`off`), unquoted.
    mutating func boolean(_ field: PolicyField) -> Bool? {
        guard case .scalar(let scalar) = field.value, field.value.tag.rawValue == Tag.Name.bool.rawValue,
            let value = Bool.construct(from: scalar)
        else {
            report("\(field.label) must be true or false, got \(field.value.kindDescription)", at: field.value.position)
            return nil
        }
        return value
    }

    /// An integer of at least `minimum`.
    mutating func integer(_ field: PolicyField, atLeast minimum: Int = .min) -> Int? {
        guard let value = field.value.integer else {
            report("\(field.label) must be an integer, got \(field.value.kindDescription)", at: field.value.position)
            return nil
        }
        guard value >= minimum else {
            report("\(field.label) must be at least \(minimum), got \(value)", at: field.value.position)
            return nil
        }
        return value
    }

    /// A duration such as `2s`; zero only where `allowZero` says it means something.
    mutating func duration(_ field: PolicyField, allowZero: Bool) -> Duration? {
        guard let text = field.value.text else {
            report(
                "\(field.label) must be a duration such as 250ms, 2s or 5m, got \(field.value.kindDescription)",
                at: field.value.position
            )
            return nil
        }
        guard let duration = parseDuration(text) else {
            report(
                "\(field.label) is not a duration: \(quoted(text)); write e.g. 250ms, 2s, 5m", at: field.value.position)
            return nil
        }
        guard allowZero || duration > .zero else {
            report("\(field.label) must be longer than 0s", at: field.value.position)
            return nil
        }
        return duration
    }

    /// A size in bytes such as `4MiB`, at least 1.
    mutating func byteSize(_ field: PolicyField) -> Int? {
        guard let text = field.value.text else {
            report(
                "\(field.label) must be a size such as 512KiB or 4MiB, got \(field.value.kindDescription)",
                at: field.value.position
            )
            return nil
        }
        guard let size = parseByteSize(text) else {
            report(
                "\(field.label) is not a size: \(quoted(text)); write e.g. 512KiB, 4MiB, 1MB or a number of bytes",
                at: field.value.position
            )
            return nil
        }
        guard size >= 1 else {
            report("\(field.label) must be at least 1 byte", at: field.value.position)
            return nil
        }
        return size
    }

    /// A listener address, `HOST:PORT` or `[IPV6]:PORT`.
    mutating func hostPort(_ field: PolicyField) -> HostPort? {
        guard let text = field.value.text else {
            report(
                "\(field.label) must be an address such as 127.0.0.1:4000, got \(field.value.kindDescription)",
                at: field.value.position
            )
            return nil
        }
        switch HostPort.parse(text) {
        case .success(let address):
            return address
        case .failure(let failure):
            report(
                "\(field.label) is not a HOST:PORT address: \(quoted(text)) (\(failure.reason)); "
                    + "write e.g. 127.0.0.1:4000 or [::1]:4000",
                at: field.value.position
            )
            return nil
        }
    }

    /// A provider base URL, `http(s)://host[:port][/path]`.
    mutating func upstreamURL(_ field: PolicyField) -> UpstreamURL? {
        guard let text = field.value.text else {
            report(
                "\(field.label) must be a URL such as https://api.openai.com/v1, got \(field.value.kindDescription)",
                at: field.value.position
            )
            return nil
        }
        switch UpstreamURL.parse(text) {
        case .success(let url):
            return url
        case .failure(let failure):
            report(
                "\(field.label) is not a usable URL: \(quoted(text)) (\(failure.reason)); "
                    + "write e.g. https://api.openai.com/v1",
                at: field.value.position
            )
            return nil
        }
    }

    /// A value from a fixed set, such as a provider type or a strategy.
    mutating func choice<Choice: RawRepresentable & CaseIterable>(
        _ field: PolicyField, unknown describe: (String) -> String
    ) -> Choice? where Choice.RawValue == String {
        guard let text = string(field) else { return nil }
        guard let value = Choice(rawValue: text) else {
            let allowed = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            report("\(describe(text)); expected one of: \(allowed)", at: field.value.position)
            return nil
        }
        return value
    }
}
