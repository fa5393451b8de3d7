extension SluiceError {
    // MARK: Request errors

    /// 400: the body is not valid JSON; names the problem and its byte offset.
    public static func invalidJSON(_ error: BodyScanError) -> SluiceError {
        SluiceError(
            code: .invalidJSON,
            message: "The request body is not valid JSON: \(error.description). "
                + "Send one JSON object with 'Content-Type: application/json'.",
            cause: error)
    }

    /// 400: a required parameter is absent.
    public static func missingField(_ param: String) -> SluiceError {
        SluiceError(
            code: .invalidField, message: "Missing required parameter: '\(param)'.", param: param,
            openAICode: "missing_required_parameter")
    }

    /// 400: a parameter has the wrong JSON type; `expected` completes "expected ..."
    /// (`"a string or an array of content parts"`).
    public static func invalidFieldType(_ param: String, expected: String) -> SluiceError {
        SluiceError(
            code: .invalidField, message: "Invalid type for '\(param)': expected \(expected).", param: param,
            openAICode: "invalid_type")
    }

    /// 400: a parameter has a value that is not allowed; `problem` says why
    /// (`"it must not be empty"`).
    public static func invalidField(_ param: String, _ problem: String) -> SluiceError {
        SluiceError(code: .invalidField, message: "Invalid value for '\(param)': \(sentence(problem))", param: param)
    }

    /// 401: the workload requires a virtual key and the request had none.
    public static func missingKey(workload: String) -> SluiceError {
        SluiceError(
            code: .unauthorized,
            message: "Workload '\(workload)' requires a virtual key and the request carried none. "
                + "Send it as 'Authorization: Bearer <key>' (or 'x-api-key' for the Anthropic API).")
    }

    /// 401: the request's key is not one of the workload's virtual keys.
    public static func unknownKey(workload: String) -> SluiceError {
        SluiceError(
            code: .unauthorized,
            message: "The key sent is not a virtual key of workload '\(workload)'. "
                + "Use a key listed in the policy (Sluice holds the provider keys; apps do not need them).")
    }

    /// 403: the workload's allow-list does not include `model`.
    public static func modelNotAllowed(_ model: String, workload: String, allowed: [String]) -> SluiceError {
        SluiceError(
            code: .modelNotAllowed,
            message: "Workload '\(workload)' may not use model '\(model)'. \(modelList("Models it may use", allowed))",
            param: "model")
    }

    /// 404: `model` is not in the policy; lists the models that are.
    public static func modelNotFound(_ model: String, available: [String]) -> SluiceError {
        SluiceError(
            code: .modelNotFound,
            message: "The model '\(model)' does not exist in this Sluice policy. "
                + modelList("Models available", available),
            param: "model")
    }

    /// 404: no endpoint at `path`.
    public static func notFound(method: String, path: String) -> SluiceError {
        SluiceError(
            code: .notFound,
            message: "Sluice has no endpoint \(method) \(path). It serves POST /v1/chat/completions, "
                + "POST /v1/completions, POST /v1/embeddings, GET /v1/models and POST /v1/messages.")
    }

    /// 405: `path` exists but not for `method`.
    public static func methodNotAllowed(method: String, path: String, allowed: [String]) -> SluiceError {
        let methods = allowed.isEmpty ? "another method" : allowed.joined(separator: " or ")
        return SluiceError(code: .methodNotAllowed, message: "\(path) does not accept \(method); use \(methods).")
    }

    /// 400: the request could not be read as HTTP/1.1; `problem` is the parser's word for what broke.
    public static func invalidHTTP(_ problem: String) -> SluiceError {
        SluiceError(
            code: .invalidHTTP,
            message: "The request is not valid HTTP/1.1 (\(problem)); this connection is closed. "
                + "Check the client's request line, headers and body framing.")
    }

    /// 400: an HTTP/2 request's header block is malformed (RFC 9113 §8.3); `problem` names the fault.
    public static func invalidHTTP2(_ problem: String) -> SluiceError {
        SluiceError(
            code: .invalidHTTP,
            message: "The request's HTTP/2 header block is malformed (\(problem)); this stream is refused. "
                + "Check the client's pseudo-headers and header fields.")
    }

    /// 413: the body is over `limit` bytes.
    public static func bodyTooLarge(limit: Int) -> SluiceError {
        SluiceError(
            code: .bodyTooLarge,
            message: "The request body is larger than this Sluice's limit of \(byteCount(limit)). "
                + "Send a smaller request, or raise the limit in the policy.")
    }

    /// 400: the guard rule `rule` refused the prompt.
    public static func promptBlocked(rule: String) -> SluiceError {
        SluiceError(
            code: .promptBlocked,
            message: "The prompt was refused by guard rule '\(rule)' of this workload's policy. "
                + "Change the prompt, or ask the policy's owner about the rule.")
    }

    /// 400 `pii_detected`: `redact.action: block` refused a request holding data of `types` (names such as
    /// `email`); never a value.
    public static func piiDetected(typeNames: [String]) -> SluiceError {
        SluiceError(
            code: .promptBlocked,
            message: "The request contains data this workload's policy does not let leave "
                + "(\(typeNames.sorted().joined(separator: ", "))). Remove it from the prompt, "
                + "or ask the policy's owner to mask it instead.",
            param: nil,
            openAICode: "pii_detected")
    }

    /// 429 `rate_limit_exceeded` with a message that names the limit (written by the limiter).
    public static func rateLimited(_ message: String) -> SluiceError {
        SluiceError(code: .rateLimited, message: message)
    }

    /// 429 `budget_exceeded` with a message that names the budget and when it resets.
    public static func budgetExceeded(_ message: String) -> SluiceError {
        SluiceError(code: .budgetExceeded, message: message)
    }

    /// 503 `limits_store_unavailable`: the shared limits store is down and the policy fails closed.
    public static func limitsStoreUnavailable(_ detail: String) -> SluiceError {
        SluiceError(
            code: .noHealthyTarget, message: "Limits cannot be checked: \(detail).", param: nil,
            openAICode: "limits_store_unavailable")
    }
}

extension SluiceError {
    /// "Models available: a, b." or a note that there are none.
    static func modelList(_ label: String, _ models: [String]) -> String {
        models.isEmpty ? "No models are configured for it." : "\(label): \(models.joined(separator: ", "))."
    }

    /// `text` ending in a full stop.
    static func sentence(_ text: String) -> String {
        text.hasSuffix(".") || text.hasSuffix("?") || text.hasSuffix("!") ? text : text + "."
    }

    /// `1048576` as `1 MiB`, `1500` as `1500 bytes`.
    static func byteCount(_ bytes: Int) -> String {
        if bytes >= 1 << 20, bytes % (1 << 20) == 0 { return "\(bytes >> 20) MiB" }
        if bytes >= 1 << 10, bytes % (1 << 10) == 0 { return "\(bytes >> 10) KiB" }
        return "\(bytes) bytes"
    }
}
