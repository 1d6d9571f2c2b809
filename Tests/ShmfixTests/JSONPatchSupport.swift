import Foundation
import Testing

/// What the output-mode tests share: the fixtures they iterate, the real clients they run and
/// an independent reading of manifests as objects (Python's PyYAML over libyaml, timestamps kept
/// as strings).
enum OutputModeSupport {
    /// Golden fixtures that succeed and whose arguments choose no output mode of their own: the
    /// tests add theirs (`-o json-patch`, `-o kustomize`, `--diff`).
    static var plainFixtures: [GoldenFixture] {
        GoldenFixture.all.filter { fixture in
            fixture.expectedStatus == 0 && !fixture.arguments.contains(where: isOutputFlag)
        }
    }

    private static func isOutputFlag(_ argument: String) -> Bool {
        ["--diff", "--check", "-i", "--in-place"].contains(argument) || argument.hasPrefix("-o")
            || argument.hasPrefix("--output")
    }

    /// The path of a client, or `nil` (recording a failure in CI, where a missing client never
    /// skips a test).
    static func client(_ name: String) -> String? {
        if let path = TestEnvironment.which(name) { return path }
        if TestEnvironment.isCI { Issue.record("\(name) is not on PATH; CI must have it") }
        return nil
    }

    /// `true` when the real client is there, or when CI must fail without it.
    static func canRun(_ name: String) -> Bool { TestEnvironment.isCI || TestEnvironment.which(name) != nil }

    /// Runs shmfix the way `fixture` says, with `extra` arguments before the input's name.
    static func run(_ fixture: GoldenFixture, _ extra: [String] = []) throws -> ProcessResult {
        try ProcessRunner.shmfix(fixture.arguments + extra + [fixture.inputName], in: fixture.directory)
    }

    /// A document of a fixture that shmfix changes, written as JSON for `kubectl patch --local`.
    struct ChangedDocument: Decodable {
        /// Index in the stream.
        var index: Int
        /// The original document as JSON (inside a `Wrapper` object when `wrapped`).
        var original: String
        /// The document of shmfix's YAML output, as JSON.
        var expected: String
        /// How many `-o json-patch` lines belong to it (one per changed List item).
        var patches: Int
        /// Lists and documents kubectl cannot take as one object are wrapped in
        /// `{kind: Wrapper, wrapped: DOC}`; patch paths then get the `/wrapped` prefix.
        var wrapped: Bool
    }

    /// The documents that differ between `original` and `output`, written into `folder`.
    static func changedDocuments(original: URL, output: URL, folder: URL) throws -> [ChangedDocument] {
        let result = try python(["changed", original.path, output.path, folder.path])
        return try JSONDecoder().decode([ChangedDocument].self, from: Data(result.stdout))
    }

    /// One resource read as an object: its id and its canonical JSON.
    struct ResourceObject: Equatable, CustomStringConvertible {
        var id: String
        var json: String
        var description: String { "\(id): \(json)" }
    }

    /// Every resource of `files` (List items expanded), sorted by id, and whether kustomize can
    /// take them (each has apiVersion, kind and a name, no id twice).
    static func resources(_ files: [URL]) throws -> (kustomizable: Bool, objects: [ResourceObject]) {
        let result = try python(["resources"] + files.map(\.path))
        guard let root = try JSONSerialization.jsonObject(with: Data(result.stdout)) as? [String: Any],
            let entries = root["resources"] as? [[String: Any]]
        else { throw SupportError("unexpected output of the objects helper: \(result.stdoutText)") }
        let objects = try entries.map { entry in
            ResourceObject(id: entry["id"] as? String ?? "", json: try canonical(entry["object"] ?? NSNull()))
        }
        return (root["kustomizable"] as? Bool ?? false, objects)
    }

    /// JSON text with sorted keys, so that equal objects have equal text.
    static func canonical(_ value: Any) throws -> String {
        let data = try JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }

    /// The canonical JSON of a JSON file, or of its member `member`.
    static func canonicalFile(_ url: URL, member: String? = nil) throws -> String {
        let value = try JSONSerialization.jsonObject(with: Data(contentsOf: url), options: .fragmentsAllowed)
        guard let member else { return try canonical(value) }
        guard let inner = (value as? [String: Any])?[member] else { throw SupportError("no '\(member)' in \(url.path)") }
        return try canonical(inner)
    }

    /// A JSON patch whose paths all get `prefix`.
    static func prefixingPaths(_ patch: String, with prefix: String) throws -> String {
        guard var operations = try JSONSerialization.jsonObject(with: Data(patch.utf8)) as? [[String: Any]] else {
            throw SupportError("not a JSON patch: \(patch)")
        }
        for index in operations.indices {
            operations[index]["path"] = prefix + (operations[index]["path"] as? String ?? "")
        }
        return String(decoding: try JSONSerialization.data(withJSONObject: operations, options: .withoutEscapingSlashes), as: UTF8.self)
    }

    /// The real `python3` executable, asked once: a version manager's shim on PATH (pyenv)
    /// costs a shell start on every call.
    private static let pythonExecutable: String? = {
        guard let shim = TestEnvironment.which("python3"),
            let result = try? ProcessRunner.run(shim, ["-c", "import sys; print(sys.executable)"]), result.status == 0
        else { return nil }
        let path = result.stdoutText.trimmingCharacters(in: .whitespacesAndNewlines)
        return FileManager.default.isExecutableFile(atPath: path) ? path : shim
    }()

    private static func python(_ arguments: [String]) throws -> ProcessResult {
        guard let python = pythonExecutable else { throw SupportError("python3 is not on PATH") }
        let result = try ProcessRunner.run(python, ["-c", script] + arguments)
        guard result.status == 0 else { throw SupportError("objects helper failed: \(result.stderr)") }
        return result
    }

    /// Reads manifests with PyYAML: `changed ORIGINAL OUTPUT FOLDER` writes each differing
    /// document as JSON and lists them; `resources FILE…` prints every resource as an object.
    private static let script = #"""
        import json, sys, yaml

        # libyaml's parser (as shmfix's), PyYAML's safe constructor, timestamps kept as strings.
        class Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):
            pass

        Loader.yaml_implicit_resolvers = {
            first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
            for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
        }

        def documents(path):
            text = open(path, "rb").read().decode("utf-8-sig")
            if text.lstrip().startswith(("{", "[")):
                try:
                    return [json.loads(text)]
                except ValueError:
                    pass
            return list(yaml.load_all(text, Loader=Loader))

        def is_list(doc):
            return isinstance(doc, dict) and isinstance(doc.get("items"), list)

        def dump(value, path):
            with open(path, "w") as handle:
                json.dump(value, handle, default=str, sort_keys=True)

        def changed(original, output, folder):
            before, after = documents(original), documents(output)
            if len(before) != len(after):
                sys.exit("document count differs: %d in, %d out" % (len(before), len(after)))
            entries = []
            for index, (old, new) in enumerate(zip(before, after)):
                if old == new:
                    continue
                count = 1
                if is_list(old) and is_list(new) and len(old["items"]) == len(new["items"]):
                    count = sum(1 for a, b in zip(old["items"], new["items"]) if a != b)
                wrapped = not isinstance(old, dict) or not isinstance(old.get("kind"), str) or "items" in old
                entry = {"index": index, "patches": count, "wrapped": wrapped,
                         "original": "%s/doc-%d.json" % (folder, index), "expected": "%s/expected-%d.json" % (folder, index)}
                dump({"apiVersion": "shmfix.test/v1", "kind": "Wrapper", "metadata": {"name": "w"}, "wrapped": old} if wrapped else old,
                     entry["original"])
                dump(new, entry["expected"])
                entries.append(entry)
            print(json.dumps(entries))

        bookkeeping = ("config.kubernetes.io/", "internal.config.kubernetes.io/", "config.k8s.io/")

        def resources(paths):
            result, kustomizable, seen = [], True, set()
            for path in paths:
                for doc in documents(path):
                    if doc is None:
                        continue
                    items = doc["items"] if is_list(doc) and str(doc.get("kind", "")).endswith("List") else [doc]
                    for item in items:
                        meta = item.get("metadata") if isinstance(item, dict) else None
                        if not (isinstance(item, dict) and isinstance(item.get("apiVersion"), str)
                                and isinstance(item.get("kind"), str) and isinstance(meta, dict)
                                and isinstance(meta.get("name"), str)):
                            kustomizable = False
                            continue
                        # kustomize's own bookkeeping annotations never reach its output
                        annotations = meta.get("annotations")
                        if isinstance(annotations, dict):
                            for name in [name for name in annotations if name.startswith(bookkeeping)]:
                                del annotations[name]
                            if not annotations:
                                del meta["annotations"]
                        key = (item["apiVersion"], item["kind"], meta.get("namespace") or "", meta["name"])
                        kustomizable = kustomizable and key not in seen
                        seen.add(key)
                        result.append({"id": "/".join(key), "object": item})
            result.sort(key=lambda entry: entry["id"])
            print(json.dumps({"kustomizable": kustomizable, "resources": result}, default=str, sort_keys=True))

        if sys.argv[1] == "changed":
            changed(sys.argv[2], sys.argv[3], sys.argv[4])
        else:
            resources(sys.argv[2:])
        """#
}

/// A failure of the test machinery itself.
struct SupportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
