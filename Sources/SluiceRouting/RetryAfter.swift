/// Reading a provider's `retry-after` (RFC 9110 §10.2.3) and OpenAI's `retry-after-ms`.
public enum RetryAfter {
    /// The pause a `retry-after` value asks for: delay-seconds (`20`; a decimal such as `1.5`
    /// is accepted too). An HTTP-date, which no LLM provider sends, or anything else gives nil.
    public static func parse(_ value: String) -> Duration? {
        let text = value.trimmingSpaces
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
            let seconds = Double(text)
        else { return nil }
        return .seconds(double: seconds)
    }

    /// The pause a `retry-after-ms` value asks for, in milliseconds (`1500`).
    public static func parse(milliseconds value: String) -> Duration? {
        parse(value).map { $0 / 1000 }
    }

    /// The pause asked for by whichever header is present, `retry-after-ms` first (it is finer).
    public static func parse(retryAfter: String?, retryAfterMilliseconds: String?) -> Duration? {
        retryAfterMilliseconds.flatMap { parse(milliseconds: $0) } ?? retryAfter.flatMap { parse($0) }
    }
}

extension String {
    /// The text without surrounding spaces and tabs.
    fileprivate var trimmingSpaces: Substring {
        var text = self[...]
        while let first = text.first, first == " " || first == "\t" { text.removeFirst() }
        while let last = text.last, last == " " || last == "\t" { text.removeLast() }
        return text
    }
}
