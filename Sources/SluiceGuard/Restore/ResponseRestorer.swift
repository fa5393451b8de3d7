/// Restores a plain (not streamed) answer: every placeholder of the request's ``MaskTable`` in
/// any string of the JSON body becomes its value again. Keys, numbers and structure are kept;
/// values are JSON-escaped where they land. Works for every dialect, since it does not need to
/// know where the text is.
public enum ResponseRestorer {
    /// `body` with placeholders restored, or nil when nothing changed (or it is not JSON).
    public static func restore(body: [UInt8], masks: MaskTable) -> [UInt8]? {
        guard !masks.isEmpty else { return nil }
        return body.withUnsafeBytes { bytes in
            var walker = JSONTextWalker(bytes, visitor: RestoringVisitor(masks: masks))
            return (try? walker.rewrite(.everything)) ?? nil
        }
    }
}
