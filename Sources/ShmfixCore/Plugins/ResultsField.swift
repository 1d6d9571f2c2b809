import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML

/// Adds KRM results to a ResourceList's text with the same byte-preserving renderer that edits
/// pod specs: appended to an existing `results:` list, or as a new `results:` field at the end of
/// the list, in the list's own style (block or flow, indentation, line endings).
enum ResultsField {
    /// `list` (the bytes of one ResourceList document) with `results` added.
    static func adding(_ results: [KRMResult], to list: [UInt8]) throws(Diagnostic) -> [UInt8] {
        guard !results.isEmpty else { return list }
        let stream = try YAMLReader().read(list)
        guard let root = stream.documents.compactMap(\.root).first, root.isMapping else {
            throw Diagnostic(.error, "the ResourceList is not a mapping", at: 0)
        }
        let target = LocatedNode(root, at: NodePath())
        let items = results.map(\.plainValue)
        let changes: [Change]
        if let existing = root["results"], existing.isSequence {
            changes = [Change(target, .append(key: "results", items: items, to: .sequence(existing)))]
        } else {
            changes = [Change(target, .set([PlainEntry("results", .sequence(items))]))]
        }
        let edits = TextRenderer(source: list).edits(for: changes, in: root)
        return TextEdit.apply(edits, to: list)
    }
}
