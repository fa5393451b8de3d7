public import SluiceLLM

extension SluiceError {
    /// 400 `pii_detected`: `redact.action: block` refused a request that holds `types`; names the
    /// types, never a value.
    public static func piiDetected(types: [EntityType]) -> SluiceError {
        .piiDetected(typeNames: types.map(\.name))
    }
}
