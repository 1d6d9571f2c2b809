import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixYAML
import Testing

/// The text of findings, dotted paths and resource names, built as bytes (`TextBytes`), is the
/// text string interpolation wrote.
struct FindingTextTests {
    @Test(arguments: [0, 7, 9, 10, 99, 100, 12_345, -1, -10, Int.max, Int.min])
    func numbersAreWrittenAsStringWritesThem(number: Int) {
        var text = TextBytes(capacity: 1)
        text.append(number)
        #expect(text.text == String(number))
    }

    @Test func textGrowsPastItsCapacity() {
        var text = TextBytes(capacity: 1)
        var expected = ""
        for index in 0..<100 {
            text.append("é\(index)")
            text.append(ascii: ",")
            expected += "é\(index),"
        }
        #expect(text.text == expected)
        #expect(text.count == expected.utf8.count)
    }

    @Test(arguments: [
        ([NodePath.Component](), ""),
        ([.key("spec"), .key("template"), .index(0)], "spec.template[0]"),
        ([.index(2), .key("spec")], "[2].spec"),
        // A path's text starts with the first key that writes something.
        ([.key(""), .key("spec")], "spec"),
        ([.key("a"), .key(""), .key("b")], "a..b"),
    ])
    func dottedPathsAreWrittenKeyByKey(components: [NodePath.Component], expected: String) {
        #expect(NodePath(components).dotted == expected)
        var text = TextBytes()
        text.append("'")
        NodePath(components).appendDotted(to: &text)
        #expect(text.text == "'" + expected)
    }

    @Test func findingsRenderWithAndWithoutAResource() {
        let locator = SourceLocator(Array("a: 1\nb: 2\n".utf8))
        let named = Finding(Diagnostic(.warning, "it is so", at: 5, resource: "Deployment/ns/web"), in: locator)
        #expect(named.render(file: "x.yaml") == "x.yaml:2:1: warning: Deployment/ns/web: it is so")
        let unnamed = Finding(Diagnostic(.error, "no", at: 2), in: locator)
        #expect(unnamed.render(file: "<stdin>") == "<stdin>:1:3: error: no")
        var lines = TextBytes()
        named.render(file: "x.yaml", into: &lines)
        unnamed.render(file: "y", into: &lines)
        #expect(lines.text == "x.yaml:2:1: warning: Deployment/ns/web: it is soy:1:3: error: no")
    }

    @Test func resourceIDsNameNamespaceAndName() throws {
        let stream = try YAMLReader().read(
            Array("kind: Deployment\nmetadata: {name: web, namespace: shop}\n---\napiVersion: apps/v1\nkind: Job\n".utf8))
        let resources = stream.documents.compactMap { $0.root.flatMap { Resource(LocatedNode($0, at: NodePath())) } }
        #expect(resources.map(\.id) == ["Deployment/shop/web", "Job/(unnamed)"])
        #expect(resources.map(\.group) == ["", "apps"])
    }
}
