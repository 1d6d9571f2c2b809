/// The line ending of the lines written: the one of the line they are inserted after.
enum LineEnding: Equatable {
    /// `\n`.
    case lineFeed
    /// `\r\n`, as a file written on Windows ends its lines.
    case carriageReturnLineFeed

    /// The line ending as text.
    var text: String { self == .carriageReturnLineFeed ? "\r\n" : "\n" }
}

extension [UInt8] {
    /// Appends the bytes of `eol`.
    mutating func append(_ eol: LineEnding) {
        if eol == .carriageReturnLineFeed { append(UInt8(ascii: "\r")) }
        append(UInt8(ascii: "\n"))
    }
}
