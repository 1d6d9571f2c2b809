import ShmfixCore
import ShmfixYAML
import Testing

/// Node spans are byte offsets, converted from libyaml's character indexes: every plain scalar's
/// span must hold exactly its value, whatever mix of one- to four-byte characters comes before
/// it, with or without a byte order mark, and whether the input is mostly ASCII (the converter
/// lists its multi-byte characters) or mostly not (it walks the bytes instead).
@Suite struct YAMLSpanTests {
    static let cases: [(name: String, text: String)] = [
        ("ascii", "a: 1\nb:\n  - x\n  - y # note\nc: {d: e}\n"),
        ("bom", "\u{FEFF}a: 1\nb: zwei\n"),
        ("comments", "# ça va, 中文注释 🙂\na: 1 # é\nlist:\n- é\n- 名前\n- x🙂y\nlast: end\n"),
        ("values", "名前: 値\n\"é\": 'ü'\nemoji: 🙂🙂\nk: v\n"),
        ("mostly-wide", String(repeating: "# 中文注释中文注释中文注释中文注释\n", count: 40) + "键: 值\n列表:\n- 一\n- 二\nk: v\n"),
        ("bom-mostly-wide", "\u{FEFF}" + String(repeating: "名前: 値値値値値値値値\n", count: 30) + "end: x\n"),
        ("two-documents", "a: é\n---\n# 中\nb: c\n...\n---\nd: 🙂e\n"),
    ]

    @Test(arguments: cases.map(\.name)) func plainScalarSpansHoldTheirValues(_ name: String) throws {
        let text = try #require(Self.cases.first { $0.name == name }).text
        let bytes = Array(text.utf8)
        let stream = try YAMLReader().read(bytes)
        var checked = 0
        var pending = stream.documents.compactMap(\.root)
        while let node = pending.popLast() {
            switch node.content {
            case .scalar(let scalar):
                guard scalar.style == .plain, !scalar.value.isEmpty else { continue }
                #expect(Array(bytes[node.span]) == Array(scalar.value.utf8), "\(name): \(scalar.value) at \(node.span)")
                checked += 1
            case .mapping(let pairs):
                pending += pairs.flatMap { [$0.key, $0.value] }
            case .sequence(let items):
                pending += items
            case .alias:
                break
            }
        }
        #expect(checked >= 3, "\(name): only \(checked) scalars checked")
    }

    @Test func lookupsCompareKeysByBytes() throws {
        let bytes = Array("a: 1\n名前: 2\n\"a\": 3\nlong: x\n".utf8)
        let root = try #require(try YAMLReader().read(bytes).documents.first?.root)
        #expect(root["名前"]?.string == "2")
        #expect(root["a"]?.string == "1")
        #expect(root.entries("a").map { $0.value.string } == ["1", "3"])
        #expect(root["lon"] == nil)
        #expect(root["longer"] == nil)
        #expect(root[""] == nil)
    }

    /// Most plain scalars are read from the source at their span rather than copied; those whose
    /// value differs from their text (folded over lines, quoted, anchored, non-ASCII) must not be.
    @Test func valuesThatAreNotTheirTextAreKept() throws {
        let folded = try #require(try YAMLReader().read(Array("a\nb\n".utf8)).documents.first?.root)
        #expect(folded.string == "a b")
        let bytes = Array("k: &x v\nl: *x\nm: 'q''s'\nn: é b\no: !t w\np: x  y\nq: [r, s]\nlong key: z\n".utf8)
        let root = try #require(try YAMLReader().read(bytes).documents.first?.root)
        #expect(root["k"]?.string == "v")
        #expect(root["l"]?.string == "v")
        #expect(root["l"]?.span == 11..<13)
        #expect(root["m"]?.string == "q's")
        #expect(root["n"]?.string == "é b")
        #expect(root["o"]?.string == "w")
        #expect(root["p"]?.string == "x  y")
        #expect(root["q"]?.items?.map(\.string) == ["r", "s"])
        #expect(root["long key"]?.hasValue("z") == true)
    }

    /// Anchors and tags are kept apart from the nodes (`YAMLTree.decorations`): each node reads
    /// its own, an alias of a scalar reads as the scalar without its anchor or tag, and an alias
    /// of a collection finds the last node anchored with its name before it.
    @Test func anchorsTagsAndAliases() throws {
        let bytes = Array("a: &m !!map {x: 1}\nb: !t &s v\nc: *s\nd: plain\ne: &m [y]\nf: *m\ng: !!str q\n".utf8)
        let root = try #require(try YAMLReader().read(bytes).documents.first?.root)
        #expect(root.anchor == nil && root.tag == nil)
        #expect(root["a"]?.anchor == "m" && root["a"]?.tag == "tag:yaml.org,2002:map")
        #expect(root["b"]?.anchor == "s" && root["b"]?.tag == "!t")
        #expect(root["c"]?.string == "v" && root["c"]?.anchor == nil && root["c"]?.tag == nil)
        #expect(root["d"]?.anchor == nil && root["d"]?.tag == nil)
        #expect(root["a"]?["x"]?.anchor == nil)
        let alias = try #require(root["f"])
        #expect(alias.isAlias)
        #expect(alias.dereferenced(within: root).items?.map(\.string) == ["y"])
        #expect(root["g"]?.tag == "tag:yaml.org,2002:str" && root["g"]?.anchor == nil)
        let other = try #require(try YAMLReader().read(Array("k: &n [1]\n---\nl: *n\n".utf8)).documents.last?.root)
        #expect(other["l"].map { $0.dereferenced(within: other).isAlias } == true)
    }

    /// `values(ofKeys:)` finds each key's first entry in one pass, as the subscript would, and
    /// `firstValue(ofKey:)` also the entry that repeats the key.
    @Test func severalKeysInOnePassAndDuplicates() throws {
        let bytes = Array("kind: Pod\nmetadata: {name: a}\n\"kind\": Job\napiVersion: v1\n? [x]\n: y\n".utf8)
        let root = try #require(try YAMLReader().read(bytes).documents.first?.root)
        let (kind, apiVersion, metadata) = root.values(ofKeys: "kind", "apiVersion", "metadata")
        #expect(kind?.string == "Pod" && kind?.span == root["kind"]?.span)
        #expect(apiVersion?.string == "v1")
        #expect(metadata?["name"]?.string == "a")
        let (name, namespace) = try #require(metadata).values(ofKeys: "name", "namespace")
        #expect(name?.string == "a" && namespace == nil)
        let (none, alsoNone) = try #require(kind).values(ofKeys: "kind", "x")
        #expect(none == nil && alsoNone == nil)
        let found = try #require(root.firstValue(ofKey: "kind"))
        #expect(found.key.string == "kind" && found.value.string == "Pod" && found.duplicate?.string == "kind")
        #expect(found.duplicate?.span.lowerBound == 30)
        #expect(root.firstValue(ofKey: "apiVersion")?.duplicate == nil)
        #expect(root.firstValue(ofKey: "spec") == nil)
    }

    /// `hasString` answers what `string == text` answers (Swift's `==` takes canonically
    /// equivalent strings as equal), deciding on the bytes where it can; `withScalarBytes` gives
    /// a scalar's value bytes; `hasAliasItem` finds an alias among a sequence's items.
    @Test func stringComparisonsOnBytes() throws {
        let text = "a: dshm\nb: \"caf\\u00e9\"\nc: 'cafe\u{301}'\nd: [dshm]\nf: dshm/\n"
        let root = try #require(try YAMLReader().read(Array(text.utf8)).documents.first?.root)
        #expect(root["a"]?.hasString("dshm") == true)
        #expect(root["a"]?.hasString("dshm2") == false)
        #expect(root["a"]?.hasString("DSHM") == false)
        #expect(root["b"]?.string == "caf\u{e9}")
        #expect(root["b"]?.hasString("caf\u{e9}") == true)
        #expect(root["c"]?.string == "cafe\u{301}")
        #expect(root["c"]?.hasString("caf\u{e9}") == true)
        #expect(root["b"]?.hasString("cafe") == false)
        #expect(root["d"]?.hasString("dshm") == false)
        #expect(root["a"]?.withScalarBytes { Array($0) } == Array("dshm".utf8))
        #expect(root["d"]?.withScalarBytes { Array($0) } == nil)
        #expect(root["f"]?.withScalarBytes { $0.count } == 5)
        #expect(root["d"]?.hasAliasItem == false)
        let aliases = try #require(try YAMLReader().read(Array("a: &l [1]\nb: [x, *l]\nc: *l\n".utf8)).documents.first?.root)
        #expect(aliases["b"]?.hasAliasItem == true)
        #expect(aliases["a"]?.hasAliasItem == false)
        #expect(aliases["c"]?.hasAliasItem == false)
    }

    @Test func nullSpellings() throws {
        let bytes = Array("a:\nb: ~\nc: null\nd: Null\ne: NULL\nf: nULL\ng: NUll\nh: nul\ni: 'null'\nj: nulls\nk: x\n".utf8)
        let root = try #require(try YAMLReader().read(bytes).documents.first?.root)
        let nulls = root.pairs?.filter(\.value.isNull).compactMap(\.key.string)
        #expect(nulls == ["a", "b", "c", "d", "e"])
        #expect(root["a"]?.isEmptyNull == true)
        #expect(root["b"]?.isEmptyNull == false)
    }
}
