/// A diagnostic placed in the input the user gave: what the user is told, with the line and
/// column it is at.
///
/// Inside the pipeline a `Diagnostic` carries only a byte offset into the bytes being read (one
/// chunk of a stream); `ShmFixer` turns each into a `Finding` before it leaves the core, with the
/// offset, line and column in the whole input, so there is one coordinate system per layer and
/// no fallback position. `render(file:)` is the one way a finding becomes text:
/// `deploy.yaml:14:9: error: Deployment/web: message`.
public struct Finding: Error, Equatable, Sendable {
    /// Error, warning or note.
    public var severity: Diagnostic.Severity
    /// Lowercase message text, names in single quotes.
    public var message: String
    /// `Kind/namespace/name` of the resource, when the finding is about one.
    public var resource: String?
    /// Byte offset in the whole input.
    public var offset: Int
    /// 1-based line and column (columns count characters) in the whole input.
    public var location: SourceLocator.Location

    /// Places `diagnostic`, whose offset is in the bytes `locator` reads; those bytes start at
    /// byte `base` of the whole input.
    public init(_ diagnostic: Diagnostic, in locator: SourceLocator, base: Int = 0) {
        severity = diagnostic.severity
        message = diagnostic.message
        resource = diagnostic.resource
        offset = base + diagnostic.offset
        location = locator.location(ofByte: diagnostic.offset)
    }

    /// `file:line:column: severity: [resource: ]message`.
    public func render(file: String) -> String {
        var text = TextBytes(capacity: file.utf8.count + message.utf8.count + (resource?.utf8.count ?? 0) + 32)
        render(file: file, into: &text)
        return text.text
    }

    /// Appends the text of `render(file:)` to `text`.
    public func render(file: String, into text: inout TextBytes) {
        text.append(file)
        text.append(ascii: ":")
        text.append(location.line)
        text.append(ascii: ":")
        text.append(location.column)
        text.append(": ")
        text.append(severity.rawValue)
        text.append(": ")
        if let resource {
            text.append(resource)
            text.append(": ")
        }
        text.append(message)
    }
}
