import ShmfixDiagnostics

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
    ///
    /// Most documents are workloads: as soon as their `kind` shows that the answer can only be
    /// `true`, the rest of the document is not read.
    public static func mayHoldPodSpec(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        var kind: KindWithoutPodSpec?
        var apiVersion: Range<Int>?
        var index = 0
        if text.count >= 3, text[0] == UInt8(ascii: "-"), text[1] == UInt8(ascii: "-"), text[2] == UInt8(ascii: "-") {
            index = lineEnd(text, from: 0)
        }
        while index < text.count {
            let end = lineEnd(text, from: index)
            let first = text[index]
            if first == UInt8(ascii: "-") || first == UInt8(ascii: ".") {
                if end - index >= 3, text[index + 1] == first, text[index + 2] == first { break }
                return true
            }
            if first != UInt8(ascii: " "), first != UInt8(ascii: "#"), first != UInt8(ascii: "\n"), first != UInt8(ascii: "\r") {
                guard let entry = plainEntry(text, index..<end) else { return true }
                if equal(text, entry.key, "kind") {
                    if kind != nil { return true }
                    guard let lacking = kindWithoutPodSpec(text, entry.value) else { return true }
                    kind = lacking
                } else if equal(text, entry.key, "apiVersion") {
                    if apiVersion != nil { return true }
                    apiVersion = entry.value
                }
            }
            index = end
        }
        switch kind {
        case nil: return true
        case .neverTouched: return false
        case .builtIn:
            guard let apiVersion else { return true }
            let slash = text[apiVersion].firstIndex(of: UInt8(ascii: "/"))
            let group = apiVersion.lowerBound..<(slash ?? apiVersion.lowerBound)
            return !builtInGroups.contains { equal(text, group, $0) }
        }
    }

    /// Why a document of some kind may need no nodes.
    private enum KindWithoutPodSpec {
        /// Never touched, and without a note (`KindTable.neverTouched`).
        case neverTouched
        /// A built-in kind without a pod spec, when its `apiVersion` is a built-in group.
        case builtIn
    }

    /// The kinds whose documents may need no nodes, as bytes: compared by length and bytes,
    /// without making a `String` (or hashing one) per document.
    private static let kindsWithoutPodSpec: [(name: [UInt8], reason: KindWithoutPodSpec)] =
        KindTable.neverTouched.filter { KindTable.notedNeverTouched[$0] == nil }.map { (Array($0.utf8), .neverTouched) }
        + KindTable.builtInWithoutPodSpec.subtracting(KindTable.neverTouched).map { (Array($0.utf8), .builtIn) }

    /// `KindTable.builtInGroups` as bytes.
    private static let builtInGroups: [[UInt8]] = KindTable.builtInGroups.map { Array($0.utf8) }

    /// Why the kind written at `range` of `text` may need no nodes; `nil` for any other kind,
    /// whose documents are always built, whatever else they hold.
    private static func kindWithoutPodSpec(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> KindWithoutPodSpec? {
        kindsWithoutPodSpec.first { equal(text, range, $0.name) }?.reason
    }

    /// `true` when the bytes `range` of `text` are `word`.
    private static func equal(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: [UInt8]) -> Bool {
        range.count == word.count && text[range].elementsEqual(word)
    }

    /// `true` when the bytes `range` of `text` are those of `word`.
    private static func equal(_ text: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, _ word: StaticString) -> Bool {
        guard range.count == word.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        return text[range].elementsEqual(expected)
    }

    /// The start of the next line.
    private static func lineEnd(_ text: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        LineBreaks.first(in: text, from: index).map { $0 + 1 } ?? text.count
    }

    /// The key and value ranges of `key: value`, a plain key at column 0 (value without a
    /// trailing comment); `nil` for any other line.
    private static func plainEntry(_ text: UnsafeBufferPointer<UInt8>, _ line: Range<Int>) -> (key: Range<Int>, value: Range<Int>)? {
        var cursor = line.lowerBound
        while cursor < line.upperBound, isKeyByte(text[cursor]) { cursor += 1 }
        guard cursor > line.lowerBound, cursor < line.upperBound, text[cursor] == UInt8(ascii: ":") else { return nil }
        let key = line.lowerBound..<cursor
        cursor += 1
        if cursor < line.upperBound {
            let next = text[cursor]
            guard next == UInt8(ascii: " ") || next == UInt8(ascii: "\n") || next == UInt8(ascii: "\r") else { return nil }
        }
        while cursor < line.upperBound, text[cursor] == UInt8(ascii: " ") { cursor += 1 }
        var end = cursor
        while end < line.upperBound {
            let byte = text[end]
            if byte == UInt8(ascii: "#") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") || byte == UInt8(ascii: " ") { break }
            end += 1
        }
        return (key, cursor..<end)
    }

    private static func isKeyByte(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
    }
}
