import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixYAML
import Testing

/// The lookups that locating and planning use to read fewer nodes say what the longer ones say:
/// `YAMLNode.valueNotingDuplicate(ofKey:)` and `hasEntry(ofKey:)` agree with
/// `firstValue(ofKey:)`, and `FieldReader.child(_:_:at:resource:)` with `child(_:_:resource:)`.
@Suite struct LocatePlanPerfTests {
    /// The root mapping of `text`.
    func root(_ text: String) throws -> YAMLNode {
        try #require(try YAMLReader().read(Array(text.utf8)).documents.first?.root)
    }

    static let mappings = [
        "{a: 1, b: 2, a: 3}",
        "{b: x, 'a': y}",
        "{\"a\": [1], c: {}}",
        "{c: d}",
        "{? [a] : 1, a: 2}",
        "{}",
        "[a, b]",
        "a",
    ]

    @Test(arguments: mappings) func valueNotingDuplicateAgreesWithFirstValue(_ text: String) throws {
        let node = try root(text)
        for key in ["a", "b", "c", "d", ""] {
            let full = node.firstValue(ofKey: key)
            let lean = node.valueNotingDuplicate(ofKey: key)
            #expect(lean?.value.span == full?.value.span, "\(text): \(key)")
            #expect(lean?.isDuplicated == (full.map { $0.duplicate != nil }), "\(text): \(key)")
            #expect(node.hasEntry(ofKey: key) == (full != nil), "\(text): \(key)")
        }
    }

    @Test func childWithAPathMadeAlreadyIsChild() throws {
        let bytes = Array("{spec: {template: {spec: {containers: []}}}}".utf8)
        let document = try #require(try YAMLReader().read(bytes).documents.first?.root)
        let fields = FieldReader(source: SourceLocator(bytes))
        let root = LocatedNode(document, at: NodePath())
        let made = NodePath([.key("spec")])
        let spec = try #require(try fields.child(root, "spec", at: made, resource: nil))
        let plain = try #require(try fields.child(root, "spec", resource: nil))
        #expect(spec.path == plain.path)
        #expect(spec.node.span == plain.node.span)
        #expect(try fields.child(root, "absent", at: made, resource: nil) == nil)
    }

    @Test func childWithAPathMadeAlreadyRefusesDuplicates() throws {
        let bytes = Array("spec: {}\nspec: {}\n".utf8)
        let document = try #require(try YAMLReader().read(bytes).documents.first?.root)
        let fields = FieldReader(source: SourceLocator(bytes))
        let root = LocatedNode(document, at: NodePath())
        #expect(throws: Diagnostic.self) { try fields.child(root, "spec", at: NodePath([.key("spec")]), resource: nil) }
    }
}
