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

/// Restores placeholders in each string the walker visits.
struct RestoringVisitor: TextVisitor {
    let masks: MaskTable

    mutating func visit(text: UnsafeRawBufferPointer) -> [UInt8]? {
        guard text.contains(0x5B) else { return nil }
        // A string that holds JSON (tool-call arguments) gets values escaped for inside it.
        let first = text.first { $0 != 0x20 && $0 != 0x0A && $0 != 0x0D && $0 != 0x09 }
        var restorer = StreamRestorer(masks: masks, escapesForJSON: first == 0x7B || first == 0x5B)
        var restored = restorer.feed(bytes: Array(text))
        restored += restorer.finishBytes()
        return restored.elementsEqual(text) ? nil : restored
    }
}
