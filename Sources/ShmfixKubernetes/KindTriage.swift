#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Tells, from a document's text alone, that it holds no pod spec, so that its nodes need not
/// be built (it is still parsed, so invalid YAML is still refused).
///
/// It answers "no pod spec" only for the plainest case: every line at column 0 before the next
/// document marker is a comment or a plain `key:` line, exactly one of them is `kind: KIND`,
/// and KIND is never touched without a note (`KindTable.neverTouched`) or is a built-in kind without a pod
/// spec whose `apiVersion` is a built-in group. Anything else — JSON, flow style, quoted keys,
/// Lists, custom kinds — is built and located as usual.
public enum KindTriage {
    /// `false` when the document starting at `text` certainly holds no pod spec.
    public static func mayHoldPodSpec(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var kind: ArraySlice<UInt8>?
        var apiVersion: ArraySlice<UInt8>?
        var index = 0
        if text.starts(with: Array("---".utf8)) { index = lineEnd(text, from: 0) }
        while index < text.count {
            let end = lineEnd(text, from: index)
            let first = text[index]
            if first == UInt8(ascii: "-") || first == UInt8(ascii: ".") {
                if end - index >= 3, text[index + 1] == first, text[index + 2] == first { break }
                return true
            }
            if first != UInt8(ascii: " "), first != UInt8(ascii: "#"), first != UInt8(ascii: "\n"), first != UInt8(ascii: "\r") {
                guard let entry = plainEntry(text, index..<end) else { return true }
                if entry.key.elementsEqual(kindKey) {
                    if kind != nil { return true }
                    kind = entry.value
                } else if entry.key.elementsEqual(apiVersionKey) {
                    if apiVersion != nil { return true }
                    apiVersion = entry.value
                }
            }
            index = end
        }
        guard let kind else { return true }
        let kindName = String(decoding: kind, as: UTF8.self)
        if KindTable.neverTouched.contains(kindName) { return KindTable.notedNeverTouched[kindName] != nil }
        guard KindTable.builtInWithoutPodSpec.contains(kindName), let apiVersion else { return true }
        let group =
            apiVersion.contains(UInt8(ascii: "/")) ? String(decoding: apiVersion.prefix { $0 != UInt8(ascii: "/") }, as: UTF8.self) : ""
        return !KindTable.builtInGroups.contains(group)
    }

    private static let kindKey: ArraySlice<UInt8> = ArraySlice("kind".utf8)
    private static let apiVersionKey: ArraySlice<UInt8> = ArraySlice("apiVersion".utf8)

    /// The start of the next line.
    private static func lineEnd(_ text: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        guard let base = text.baseAddress, index < text.count,
            let found = memchr(base + index, Int32(UInt8(ascii: "\n")), text.count - index)
        else { return text.count }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(found)) + 1
    }

    /// `key: value` of a plain key at column 0 (value without a trailing comment); `nil` for any
    /// other line.
    private static func plainEntry(_ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> (
        key: ArraySlice<UInt8>, value: ArraySlice<UInt8>
    )? {
        var cursor = line.lowerBound
        while cursor < line.upperBound, isKeyByte(text[cursor]) { cursor += 1 }
        guard cursor > line.lowerBound, cursor < line.upperBound, text[cursor] == UInt8(ascii: ":") else { return nil }
        let key = ArraySlice(text[line.lowerBound..<cursor])
        cursor += 1
        guard cursor == line.upperBound || [UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r")].contains(text[cursor]) else {
            return nil
        }
        while cursor < line.upperBound, text[cursor] == UInt8(ascii: " ") { cursor += 1 }
        var end = cursor
        while end < line.upperBound, ![UInt8(ascii: "#"), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: " ")].contains(text[end]) {
            end += 1
        }
        return (key, ArraySlice(text[cursor..<end]))
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
