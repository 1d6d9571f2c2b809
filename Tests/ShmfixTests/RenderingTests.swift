import ShmfixCore
import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML
import Testing

/// Rendering: where inserted text lands (positions marked in the input with emoji markers,
/// asserted as exact UTF-8 offsets), what it looks like next to its neighbours (whole outputs),
/// and the one-pass splice of `TextEdit.apply`.
@Suite struct RenderingTests {
    static let markers = ["1️⃣", "2️⃣", "3️⃣", "4️⃣"]

    /// `text` without its markers, and the UTF-8 offset where each marker stood, in marker order.
    static func unmarked(_ text: String) -> (bytes: [UInt8], offsets: [Int]) {
        var bytes = Array(text.utf8)
        var found: [(marker: Int, offset: Int)] = []
        for (number, marker) in markers.enumerated() {
            let pattern = Array(marker.utf8)
            guard let start = bytes.indices.first(where: { bytes[$0...].starts(with: pattern) }) else { continue }
            bytes.removeSubrange(start..<start + pattern.count)
            for index in found.indices where found[index].offset > start { found[index].offset -= pattern.count }
            found.append((number, start))
        }
        return (bytes, found.sorted { $0.marker < $1.marker }.map(\.offset))
    }

    /// The text edits shmfix makes to `bytes` (sorted by position) with default options.
    static func edits(_ bytes: [UInt8], options: FixOptions = FixOptions(size: .bytes(2 << 30))) throws(Diagnostic) -> [TextEdit] {
        let stream = try YAMLReader().read(bytes)
        let fields = FieldReader(source: SourceLocator(bytes))
        let locator = PodSpecLocator(fields: fields)
        let planner = FixPlanner(options: options, fields: fields)
        let renderer = TextRenderer(source: bytes)
        var edits: [TextEdit] = []
        for document in stream.documents {
            guard let root = document.root else { continue }
            var changes: [Change] = []
            for located in try locator.locate(document) { changes += try planner.plan(located).changes }
            edits += try renderer.edits(for: changes, in: root)
        }
        return edits.sorted { $0.range.lowerBound < $1.range.lowerBound }
    }

    /// The output of shmfix for `text` with `--shm-size=2gb`.
    static func fixed(_ text: String, options: FixOptions = FixOptions(size: .bytes(2 << 30))) throws -> String {
        let result = try ShmFixer(options: options).fix(Array(text.utf8))
        return String(decoding: result.output, as: UTF8.self)
    }

    // MARK: Where insertions land

    @Test func blockInsertionsGoAfterTheLastEntryBeforeTrailingComments() throws {
        let (bytes, offsets) = Self.unmarked(
            """
            apiVersion: v1
            kind: Pod
            spec:
              containers:
              - name: a
                image: b   # same-line comment
            1️⃣    # comment inside the container

              # comment after the list
            """)
        #expect(try Self.edits(bytes).map(\.range) == [offsets[0]..<offsets[0], offsets[0]..<offsets[0]])
    }

    @Test func flowInsertionsGoAfterTheLastMember() throws {
        let (bytes, offsets) = Self.unmarked("{apiVersion: v1, kind: Pod, spec: {containers: [{name: a, image: b1️⃣}]2️⃣ }}\n")
        #expect(try Self.edits(bytes).map(\.range) == [offsets[0]..<offsets[0], offsets[1]..<offsets[1]])
    }

    @Test func aNullValueIsReplacedFromTheColonAndLinesFollowIt() throws {
        let (bytes, offsets) = Self.unmarked(
            """
            apiVersion: v1
            kind: Pod
            spec:
              containers:
              - name: a
                volumeMounts:1️⃣ ~2️⃣   # none
            3️⃣  volumes:4️⃣ null

            """)
        let end = bytes.count - 1
        #expect(
            try Self.edits(bytes).map(\.range) == [
                offsets[0]..<offsets[1], offsets[2]..<offsets[2], offsets[3]..<end, bytes.count..<bytes.count,
            ])
    }

    @Test func insertionsAfterNonASCIICommentsUseByteOffsets() throws {
        let (bytes, offsets) = Self.unmarked(
            """
            # 训练 🚀 — ümlaut
            apiVersion: v1
            kind: Pod
            metadata: {name: 名前}
            spec: {containers: [{name: a, image: b1️⃣}]2️⃣}   # 注释 🎉

            """)
        #expect(try Self.edits(bytes).map(\.range.lowerBound) == [offsets[0], offsets[1]])
    }

    // MARK: What inserted text looks like

    @Test(arguments: [
        // Sequence style: indented sequences, four-space mappings.
        (
            "apiVersion: v1\nkind: Pod\nspec:\n    containers:\n        -   name: a\n",
            "apiVersion: v1\nkind: Pod\nspec:\n    containers:\n        -   name: a\n            volumeMounts:\n                -   name: dshm\n                    mountPath: /dev/shm\n    volumes:\n        -   name: dshm\n            emptyDir:\n                medium: Memory\n                sizeLimit: 2Gi\n"
        ),
        // CRLF, and a block sequence of flow mappings gets a flow mapping.
        (
            "apiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - {name: a}\r\n  volumes:\r\n  - {name: x, emptyDir: {}}\r\n",
            "apiVersion: v1\r\nkind: Pod\r\nspec:\r\n  containers:\r\n  - {name: a, volumeMounts: [{name: dshm, mountPath: /dev/shm}]}\r\n  volumes:\r\n  - {name: x, emptyDir: {}}\r\n  - {name: dshm, emptyDir: {medium: Memory, sizeLimit: 2Gi}}\r\n"
        ),
        // A null at the end of a file without a final line break.
        (
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n  volumes:",
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    volumeMounts:\n    - name: dshm\n      mountPath: /dev/shm\n  volumes:\n  - name: dshm\n    emptyDir:\n      medium: Memory\n      sizeLimit: 2Gi"
        ),
        // A final block scalar keeps its value: `|+` and `>2` become strip-chomped.
        (
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - |+\n      x",
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - |-\n      x\n    volumeMounts:\n    - name: dshm\n      mountPath: /dev/shm\n  volumes:\n  - name: dshm\n    emptyDir:\n      medium: Memory\n      sizeLimit: 2Gi"
        ),
        (
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - >2\n        x",
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - name: a\n    args:\n    - >2-\n        x\n    volumeMounts:\n    - name: dshm\n      mountPath: /dev/shm\n  volumes:\n  - name: dshm\n    emptyDir:\n      medium: Memory\n      sizeLimit: 2Gi"
        ),
        // Quoted keys stay quoted; an existing flow emptyDir gets flow members.
        (
            "\"apiVersion\": v1\n\"kind\": Pod\n\"spec\":\n  \"containers\":\n  - \"name\": a\n    \"volumeMounts\": [{name: s, mountPath: /dev/shm}]\n  \"volumes\":\n  - {name: s, emptyDir: {medium: Memory}}\n",
            "\"apiVersion\": v1\n\"kind\": Pod\n\"spec\":\n  \"containers\":\n  - \"name\": a\n    \"volumeMounts\": [{name: s, mountPath: /dev/shm}]\n  \"volumes\":\n  - {name: s, emptyDir: {medium: Memory, sizeLimit: 2Gi}}\n"
        ),
        // Indented JSON: an empty array becomes an indented array.
        (
            "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"spec\": {\n    \"containers\": [{\"name\": \"a\", \"volumeMounts\": [{\"name\": \"dshm\", \"mountPath\": \"/dev/shm\"}]}],\n    \"volumes\": []\n  }\n}\n",
            "{\n  \"apiVersion\": \"v1\",\n  \"kind\": \"Pod\",\n  \"spec\": {\n    \"containers\": [{\"name\": \"a\", \"volumeMounts\": [{\"name\": \"dshm\", \"mountPath\": \"/dev/shm\"}]}],\n    \"volumes\": [\n      {\n        \"name\": \"dshm\",\n        \"emptyDir\": {\n          \"medium\": \"Memory\",\n          \"sizeLimit\": \"2Gi\"\n        }\n      }\n    ]\n  }\n}\n"
        ),
        // One-line JSON stays on one line.
        (
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"a\"}]}}\n",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"a\", \"volumeMounts\": [{\"name\": \"dshm\", \"mountPath\": \"/dev/shm\"}]}], \"volumes\": [{\"name\": \"dshm\", \"emptyDir\": {\"medium\": \"Memory\", \"sizeLimit\": \"2Gi\"}}]}}\n"
        ),
    ])
    func insertedTextMatchesItsSurroundings(_ input: String, _ expected: String) throws {
        let output = try Self.fixed(input)
        #expect(output == expected)
        #expect(try Self.fixed(output) == output, "a second run must change nothing")
    }

    @Test func anEqualSizeWrittenAnotherWayIsLeftAlone() throws {
        let input =
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - {name: a, volumeMounts: [{name: dshm, mountPath: /dev/shm}]}\n  volumes:\n  - {name: dshm, emptyDir: {medium: Memory, sizeLimit: 2048Mi}}\n"
        #expect(try Self.fixed(input) == input)
        #expect(
            try Self.fixed(input.replacingOccurrences(of: "2048Mi", with: "\"2147483648\""))
                == input.replacingOccurrences(of: "2048Mi", with: "\"2147483648\""))
    }

    @Test func aDifferentSizeIsReplacedInItsOwnQuoting() throws {
        let input =
            "apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - {name: a, volumeMounts: [{name: dshm, mountPath: /dev/shm}]}\n  volumes:\n  - {name: dshm, emptyDir: {medium: Memory, sizeLimit: '1Gi'}}\n"
        #expect(try Self.fixed(input) == input.replacingOccurrences(of: "'1Gi'", with: "'2Gi'"))
    }

    // MARK: Splicing

    @Test func editsAreSplicedInOneForwardPass() {
        let source = Array("abcdef".utf8)
        let edits = [
            TextEdit(4..<4, "Y", depth: 1), TextEdit(1..<3, "-"), TextEdit(4..<4, "X", depth: 3), TextEdit(6..<6, "!"),
        ]
        #expect(String(decoding: TextEdit.apply(edits, to: source), as: UTF8.self) == "a-dXYef!")
        #expect(TextEdit.apply([], to: source) == source)
    }

    @Test func insertionsAtOneOffsetKeepTheirOrderAtEqualDepth() {
        let edits = [TextEdit(0..<0, "1"), TextEdit(0..<0, "2"), TextEdit(0..<0, "3")]
        #expect(String(decoding: TextEdit.apply(edits, to: Array("x".utf8)), as: UTF8.self) == "123x")
    }
}
