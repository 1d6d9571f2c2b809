/// Checks that bytes are one JSON text (RFC 8259), building nothing.
///
/// The webhook reads the few members it needs straight from the body (`JSONValueSpan`), so the
/// body is validated here first: a body that is not JSON gets 400 whatever members it has.
/// Nesting is limited (`maximumDepth`), and the check is iterative, so no input can exhaust
/// the stack.
struct JSONValidator {
    /// The deepest nesting of arrays and objects accepted.
    static let maximumDepth = 1000

    private let bytes: [UInt8]
    private var index = 0

    /// `true` when `bytes` is exactly one JSON value, with optional whitespace around it, in
    /// valid UTF-8.
    static func isValid(_ bytes: [UInt8]) -> Bool {
        guard String(validating: bytes, as: UTF8.self) != nil else { return false }
        var validator = JSONValidator(bytes: bytes)
        return validator.document()
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private enum Container { case object, array }

    private mutating func document() -> Bool {
        var stack: [Container] = []
        skipSpace()
        // Each turn reads one value, then closes containers and expects ',' or the end.
        while true {
            guard value(&stack) else { return false }
            if stack.count > Self.maximumDepth { return false }
            // After a scalar or an opened-and-closed container: close, or move to the next item.
            while true {
                skipSpace()
                guard let container = stack.last else {
                    return index == bytes.count
                }
                guard index < bytes.count else { return false }
                let byte = bytes[index]
                if byte == UInt8(ascii: ",") {
                    index += 1
                    skipSpace()
                    if container == .object, !key() { return false }
                    break
                }
                if (container == .object && byte == UInt8(ascii: "}")) || (container == .array && byte == UInt8(ascii: "]")) {
                    index += 1
                    stack.removeLast()
                    continue
                }
                return false
            }
        }
    }

    /// Reads one value; an opening bracket is pushed (with the first key of a non-empty
    /// object read) and counts as a value when the container is empty.
    private mutating func value(_ stack: inout [Container]) -> Bool {
        while true {
            skipSpace()
            guard index < bytes.count else { return false }
            switch bytes[index] {
            case UInt8(ascii: "{"):
                index += 1
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "}") {
                    index += 1
                    return true
                }
                stack.append(.object)
                guard stack.count <= Self.maximumDepth, key() else { return false }
            case UInt8(ascii: "["):
                index += 1
                skipSpace()
                if index < bytes.count, bytes[index] == UInt8(ascii: "]") {
                    index += 1
                    return true
                }
                stack.append(.array)
                guard stack.count <= Self.maximumDepth else { return false }
            case UInt8(ascii: "\""): return string()
            case UInt8(ascii: "t"): return literal("true")
            case UInt8(ascii: "f"): return literal("false")
            case UInt8(ascii: "n"): return literal("null")
            default: return number()
            }
        }
    }

    /// `"key"` then `:`.
    private mutating func key() -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: "\""), string() else { return false }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return false }
        index += 1
        return true
    }

    private mutating func string() -> Bool {
        index += 1
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                return true
            case UInt8(ascii: "\\"):
                guard index + 1 < bytes.count else { return false }
                switch bytes[index + 1] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    index += 2
                case UInt8(ascii: "u"):
                    guard index + 6 <= bytes.count, bytes[(index + 2)..<(index + 6)].allSatisfy(Self.isHexDigit) else { return false }
                    index += 6
                default: return false
                }
            case 0..<0x20: return false
            default: index += 1
            }
        }
        return false
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    private mutating func number() -> Bool {
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count, Self.isDigit(bytes[index]) else { return false }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else { skipDigits() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard index < bytes.count, Self.isDigit(bytes[index]) else { return false }
            skipDigits()
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard index < bytes.count, Self.isDigit(bytes[index]) else { return false }
            skipDigits()
        }
        return true
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { return false }
        let matches = word.withUTF8Buffer { bytes[index..<(index + count)].elementsEqual($0) }
        index += count
        return matches
    }

    private mutating func skipDigits() {
        while index < bytes.count, Self.isDigit(bytes[index]) { index += 1 }
    }

    private mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) }

    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
    }
}
