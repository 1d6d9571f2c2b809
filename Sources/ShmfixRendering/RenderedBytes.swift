/// Writing rendered text as UTF-8 bytes.
extension [UInt8] {
    /// Appends the UTF-8 bytes of `text`.
    mutating func append(_ text: String) { append(contentsOf: text.utf8) }

    /// Appends `count` spaces (none when `count` is not positive).
    mutating func appendSpaces(_ count: Int) {
        guard count > 0 else { return }
        append(contentsOf: repeatElement(UInt8(ascii: " "), count: count))
    }
}
