import Foundation
import Testing

/// `-o kustomize` changes only the resource each patch was made for and never replaces what is
/// there, proved with the real `kubectl kustomize` (kustomize v5): the same name in two
/// namespaces and in none, a name with a regex metacharacter, a List item, a CRD, and patches
/// that meet an object other than the one shmfix read (they fail the build, loudly).
@Suite struct KustomizePatchTests {
    static func deployment(_ name: String, namespace: String?, volumes: String = "") -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: \(name)\(namespace.map { "\n  namespace: \($0)" } ?? "")
        spec:
          template:
            spec:
              containers:
              - name: web
                image: nginx\(volumes)

        """
    }

    static let pvc = """

                volumeMounts:
                - {name: data, mountPath: /data}
              volumes:
              - name: data
                persistentVolumeClaim: {claimName: data}
        """

    /// `web` without a namespace, in `ml` and in `data` (with a PVC volume already mounted),
    /// `web.v1` beside `webxv1` (left alone, as `--kind` would leave it), a Pod in a List
    /// and a CRD without a namespace.
    static let stream =
        [
            deployment("web", namespace: nil), deployment("web", namespace: "ml"), deployment("web", namespace: "data", volumes: pvc),
            deployment("web.v1", namespace: nil),
            """
            apiVersion: v1
            kind: List
            items:
            - apiVersion: v1
              kind: Pod
              metadata: {name: web, namespace: ml}
              spec:
                containers: [{name: web, image: nginx}]

            """,
            """
            apiVersion: ray.io/v1
            kind: RayCluster
            metadata:
              name: web
            spec:
              headGroupSpec:
                template:
                  spec:
                    containers:
                    - name: head
                      image: rayproject/ray

            """,
        ].joined(separator: "---\n")

    /// The exact patches for the same name in two namespaces and in none.
    @Test func targetsArePinnedAndPatchesGuarded() throws {
        let input =
            Self.deployment("web", namespace: nil) + "---\n" + Self.deployment("web", namespace: "data", volumes: Self.pvc)
            + "---\n" + "apiVersion: v1\nkind: Pod\nmetadata: {name: a.b}\nspec:\n  containers: [{name: x}]\n"
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-o", "kustomize"], stdin: Array(input.utf8))
        #expect(result.status == 0, "\(result.stderr)")
        let volume = #"{"name":"dshm","emptyDir":{"medium":"Memory","sizeLimit":"2Gi"}}"#
        let mount = #"{"name":"dshm","mountPath":"/dev/shm"}"#
        #expect(
            result.stdoutText == """
                patches:
                - target:
                    group: apps
                    version: v1
                    kind: Deployment
                    name: web
                    namespace: default
                  patch: |-
                    [{"op":"test","path":"/spec/template/spec/volumes","value":null},{"op":"add","path":"/spec/template/spec/volumes","value":[\(volume)]},{"op":"test","path":"/spec/template/spec/containers/0/name","value":"web"},{"op":"test","path":"/spec/template/spec/containers/0/volumeMounts","value":null},{"op":"add","path":"/spec/template/spec/containers/0/volumeMounts","value":[\(mount)]}]
                - target:
                    group: apps
                    version: v1
                    kind: Deployment
                    name: web
                    namespace: data
                  patch: |-
                    [{"op":"add","path":"/spec/template/spec/volumes/-","value":\(volume)},{"op":"test","path":"/spec/template/spec/containers/0/name","value":"web"},{"op":"add","path":"/spec/template/spec/containers/0/volumeMounts/-","value":\(mount)}]
                - target:
                    version: v1
                    kind: Pod
                    name: "a\\\\.b"
                    namespace: default
                  patch: |-
                    [{"op":"test","path":"/apiVersion","value":"v1"},{"op":"test","path":"/spec/volumes","value":null},{"op":"add","path":"/spec/volumes","value":[\(volume)]},{"op":"test","path":"/spec/containers/0/name","value":"x"},{"op":"test","path":"/spec/containers/0/volumeMounts","value":null},{"op":"add","path":"/spec/containers/0/volumeMounts","value":[\(mount)]}]

                """)
    }

    /// `kubectl kustomize` with the patches gives exactly the objects of shmfix's YAML output:
    /// the PVC of `data/web` stays, `webxv1` is not touched by `web.v1`'s patch.
    @Test(.enabled(if: OutputModeSupport.canRun("kubectl")))
    func kubectlKustomizeChangesOnlyEachPatchesResource() throws {
        guard let kubectl = OutputModeSupport.client("kubectl") else { return }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let bystander = Self.deployment("webxv1", namespace: nil)
        try IntegrationFiles.write(Self.stream, "resources.yaml", in: scratch.url)
        try IntegrationFiles.write(bystander, "bystander.yaml", in: scratch.url)
        let patches = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-o", "kustomize", "resources.yaml"], in: scratch.url)
        let yaml = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "resources.yaml"], in: scratch.url)
        try #require(patches.status == 0 && yaml.status == 0, "\(patches.stderr)\(yaml.stderr)")
        #expect(patches.stdoutText.components(separatedBy: "- target:").count == 7, "six resources change")
        try IntegrationFiles.write(
            "resources:\n- resources.yaml\n- bystander.yaml\n" + patches.stdoutText, "kustomization.yaml", in: scratch.url)
        let built = try ProcessRunner.run(kubectl, ["kustomize", scratch.url.path])
        try #require(built.status == 0, "\(built.stderr)")
        try IntegrationFiles.write(built.stdout, "built.yaml", in: scratch.url)
        try IntegrationFiles.write(yaml.stdoutText + "---\n" + bystander, "expected.yaml", in: scratch.url)
        let actual = try OutputModeSupport.resources([scratch.url.appendingPathComponent("built.yaml")]).objects
        let expected = try OutputModeSupport.resources([scratch.url.appendingPathComponent("expected.yaml")]).objects
        #expect(actual.count == 7)
        #expect(actual == expected)
        let kept = actual.first { $0.id == "apps/v1/Deployment/data/web" }?.json ?? ""
        #expect(kept.contains(#""persistentVolumeClaim":{"claimName":"data"}"#))
    }

    /// Patches made from one state and built against another: each fails the build with the
    /// test that caught it, rather than replacing `volumes` or editing another container.
    @Test(
        .enabled(if: OutputModeSupport.canRun("kubectl")),
        arguments: [
            (
                "volumes added since", "        image: nginx\n",
                "        image: nginx\n      volumes:\n      - {name: data, emptyDir: {}}\n",
                "/spec/template/spec/volumes"
            ),
            ("container renamed", "      - name: web\n", "      - name: sidecar\n", "/spec/template/spec/containers/0/name"),
        ])
    func patchOfAnotherStateFailsTheBuild(case name: String, find: String, replace: String, failingPath: String) throws {
        guard let kubectl = OutputModeSupport.client("kubectl") else { return }
        let scratch = try Scratch()
        defer { scratch.remove() }
        let original = Self.deployment("web", namespace: "ml")
        let patches = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-o", "kustomize"], stdin: Array(original.utf8))
        try #require(patches.status == 0)
        let drifted = original.replacingOccurrences(of: find, with: replace)
        #expect(drifted != original)
        try IntegrationFiles.write(drifted, "web.yaml", in: scratch.url)
        try IntegrationFiles.write("resources:\n- web.yaml\n" + patches.stdoutText, "kustomization.yaml", in: scratch.url)
        let built = try ProcessRunner.run(kubectl, ["kustomize", scratch.url.path])
        #expect(built.status != 0, "\(name): \(built.stdoutText)")
        #expect(built.stdout.isEmpty)
        #expect(built.stderr.contains("testing value \(failingPath) failed"), "\(name): \(built.stderr)")
    }

    @Test func resourceWithoutANameIsRefused() throws {
        let input = "apiVersion: v1\nkind: Pod\nmetadata:\n  generateName: job-\nspec:\n  containers: [{name: a}]\n"
        let result = try ProcessRunner.shmfix(["--shm-size=2gb", "-q", "-o", "kustomize"], stdin: Array(input.utf8))
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(
            result.stderr
                == "<stdin>:1:1: error: Pod/(unnamed): a kustomize patch needs 'metadata.name' to target this resource; "
                + "without it the patch would change every 'Pod'\n")
    }
}
