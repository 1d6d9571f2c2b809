/// Writing rendered text as UTF-8 bytes.
extension [UInt8] {
    /// Appends the UTF-8 bytes of `text`.
    mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(contentsOf: $0) }
    }

    /// Appends `count` spaces (none when `count` is not positive), one by one: an indentation
    /// is a few bytes, fewer than appending a collection of them costs to set up.
    mutating func appendSpaces(_ count: Int) {
        guard count > 0 else { return }
        for _ in 0..<count { append(UInt8(ascii: " ")) }
    }
}
