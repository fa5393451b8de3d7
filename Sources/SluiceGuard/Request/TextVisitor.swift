/// What a ``JSONTextWalker`` calls for each text value its selector picks out.
protocol TextVisitor {
    /// Called with the decoded text of a string value; returns new text (unquoted UTF-8) to put
    /// in its place, or nil to keep the value's bytes as they are.
    mutating func visit(text: UnsafeRawBufferPointer) -> [UInt8]?

    /// Called with a number literal under an `everything` selector; returns new text (it will be
    /// written as a JSON string) or nil to keep the number.
    mutating func visit(number: UnsafeRawBufferPointer) -> [UInt8]?
}

extension TextVisitor {
    mutating func visit(number: UnsafeRawBufferPointer) -> [UInt8]? { nil }
}
