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

    /// One resource of a fixture (a List item on its own), as the original and as shmfix's
    /// YAML output, each written as JSON for `kubectl patch --local`.
    struct ResourcePair: Decodable {
        var apiVersion: String?
        var kind: String
        var namespace: String?
        var name: String?
        /// `true` when the YAML output changed it.
        var changed: Bool
        /// The original resource's JSON file.
        var original: String
        /// The output's resource's JSON file.
        var expected: String
    }

    /// Every resource of `original` and `output`, in order; `single` when the input is one
    /// document that is a resource (not a List).
    struct ResourcePairs: Decodable {
        var single: Bool
        var resources: [ResourcePair]
    }

    /// The resources of `original` and `output`, written into `folder`; fails when anything but
    /// a resource differs.
    static func resourcePairs(original: URL, output: URL, folder: URL) throws -> ResourcePairs {
        let result = try python(["pairs", original.path, output.path, folder.path])
        return try JSONDecoder().decode(ResourcePairs.self, from: Data(result.stdout))
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

    /// Reads manifests with PyYAML: `pairs ORIGINAL OUTPUT FOLDER` writes every resource (List
    /// items on their own) of both as JSON and lists them; `resources FILE…` prints every
    /// resource as an object.
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

        def resource_items(doc):
            # shmfix's rule: a mapping with a string kind is a resource; a *List's items are
            # resources themselves, and what is left of the List must not change.
            if not isinstance(doc, dict) or not isinstance(doc.get("kind"), str):
                return [], doc
            if doc["kind"].endswith("List") and isinstance(doc.get("items"), list):
                rest = {key: value for key, value in doc.items() if key != "items"}
                # An item of a typed list (DeploymentList) without kind is of the list's kind:
                # give it that kind and apiVersion, as kubectl needs them to patch it alone.
                typed = doc["kind"] != "List"
                listed = []
                for item in doc["items"]:
                    if typed and isinstance(item, dict) and "kind" not in item:
                        item = dict(item, kind=doc["kind"][:-4])
                        if "apiVersion" not in item and isinstance(doc.get("apiVersion"), str):
                            item["apiVersion"] = doc["apiVersion"]
                    listed.append(item)
                items = [item for item in listed if isinstance(item, dict) and isinstance(item.get("kind"), str)]
                others = [item for item in listed if not (isinstance(item, dict) and isinstance(item.get("kind"), str))]
                return items, [rest, others]
            return [doc], None

        def text_or_none(value):
            return value if isinstance(value, str) else None

        def pairs(original, output, folder):
            before, after = documents(original), documents(output)
            if len(before) != len(after):
                sys.exit("document count differs: %d in, %d out" % (len(before), len(after)))
            entries = []
            for old, new in zip(before, after):
                old_items, old_rest = resource_items(old)
                new_items, new_rest = resource_items(new)
                if old_rest != new_rest or len(old_items) != len(new_items):
                    sys.exit("something other than a resource changed")
                for old_item, new_item in zip(old_items, new_items):
                    index = len(entries)
                    meta = old_item.get("metadata") if isinstance(old_item.get("metadata"), dict) else {}
                    entry = {"apiVersion": text_or_none(old_item.get("apiVersion")), "kind": old_item["kind"],
                             "namespace": text_or_none(meta.get("namespace")), "name": text_or_none(meta.get("name")),
                             "changed": old_item != new_item,
                             "original": "%s/resource-%d.json" % (folder, index), "expected": "%s/expected-%d.json" % (folder, index)}
                    dump(old_item, entry["original"])
                    dump(new_item, entry["expected"])
                    entries.append(entry)
            held = [doc for doc in before if doc is not None]
            single = len(held) == 1 and len(entries) == 1 and resource_items(held[0])[1] is None
            print(json.dumps({"single": single, "resources": entries}))

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

        if sys.argv[1] == "pairs":
            pairs(sys.argv[2], sys.argv[3], sys.argv[4])
        else:
            resources(sys.argv[2:])
        """#
}

/// A failure of the test machinery itself.
struct SupportError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
