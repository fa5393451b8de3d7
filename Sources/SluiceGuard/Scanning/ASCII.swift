/// Byte classes the detectors test, on UTF-8 code units. Every byte of a multi-byte UTF-8
/// sequence is 0x80 or above, so none of them is mistaken for ASCII punctuation.
enum ASCII {
    @inline(__always) static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }
    @inline(__always) static func isUpper(_ byte: UInt8) -> Bool { byte &- 0x41 < 26 }
    @inline(__always) static func isLower(_ byte: UInt8) -> Bool { byte &- 0x61 < 26 }
    @inline(__always) static func isLetter(_ byte: UInt8) -> Bool { (byte | 0x20) &- 0x61 < 26 }
    @inline(__always) static func isAlnum(_ byte: UInt8) -> Bool { isDigit(byte) || isLetter(byte) }
    @inline(__always) static func isHex(_ byte: UInt8) -> Bool { isDigit(byte) || (byte | 0x20) &- 0x61 < 6 }

    /// Part of a word for boundary purposes: letters, digits, `_`, and any non-ASCII byte
    /// (accented letters and other scripts are word characters too).
    @inline(__always) static func isWord(_ byte: UInt8) -> Bool { isAlnum(byte) || byte == 0x5F || byte >= 0x80 }

    /// The byte lower-cased when it is an ASCII capital.
    @inline(__always) static func lower(_ byte: UInt8) -> UInt8 { isUpper(byte) ? byte | 0x20 : byte }

    /// The value of a hex digit (the caller checked ``isHex(_:)``).
    @inline(__always) static func hexValue(_ byte: UInt8) -> UInt8 {
        isDigit(byte) ? byte &- 0x30 : (byte | 0x20) &- 0x61 &+ 10
    }

    static let space: UInt8 = 0x20
    static let dash: UInt8 = 0x2D
    static let dot: UInt8 = 0x2E
    static let colon: UInt8 = 0x3A
    static let plus: UInt8 = 0x2B
    static let at: UInt8 = 0x40
    static let openParen: UInt8 = 0x28
    static let closeParen: UInt8 = 0x29
    static let slash: UInt8 = 0x2F
    static let underscore: UInt8 = 0x5F
}
