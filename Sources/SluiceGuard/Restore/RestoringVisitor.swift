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
