public import SluiceLLM

extension SluiceError {
    /// 400: `redact.action: block` refused a request that holds `types`; names the types, never
    /// a value.
    ///
    /// SluiceLLM's ``SluiceError/Code`` has no `pii_detected` yet, so this is a
    /// ``Code/promptBlocked`` error (400, `invalid_request_error`) whose message and `param`
    /// say `pii_detected`. A `pii_detected` OpenAI `code` needs a factory in SluiceLLM.
    public static func piiDetected(types: [EntityType]) -> SluiceError {
        let names = types.map(\.name).sorted().joined(separator: ", ")
        return SluiceError(
            code: .promptBlocked,
            message: "pii_detected: the request contains data this workload's policy does not let leave "
                + "(\(names)). Remove it from the prompt, or ask the policy's owner to mask it instead.",
            param: "pii_detected")
    }
}
