import ShmfixCore
import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixYAML
import Testing

/// The planner's decisions, as the list of `Change`s itself (no text): which mapping, what
/// action, and what stands at each list key (`ListSlot`) — the shapes the renderers rely on.
@Suite struct PlannerTests {
    /// `target-path: action` for each change of every resource of `yaml`.
    func changes(_ yaml: String, options: FixOptions = FixOptions(size: .bytes(2 << 30))) throws(Diagnostic) -> [String] {
        let bytes = Array(yaml.utf8)
        let fields = FieldReader(source: SourceLocator(bytes))
        let planner = FixPlanner(options: options, fields: fields)
        var result: [String] = []
        for document in try YAMLReader().read(bytes).documents {
            for located in try PodSpecLocator(fields: fields).locate(document) {
                result += try planner.plan(located).changes.map(Self.describe)
            }
        }
        return result
    }

    static func describe(_ change: Change) -> String {
        let target = change.target.path.dotted.isEmpty ? "(root)" : change.target.path.dotted
        switch change.action {
        case .append(let key, let items, let slot):
            let at: String
            switch slot {
            case .absent: at = "absent"
            case .null: at = "null"
            case .sequence(let node): at = "sequence of \(node.items?.count ?? 0)"
            }
            return "\(target): append \(items.count) to \(key) (\(at))"
        case .set(let entries):
            return "\(target): set " + entries.map(\.key).joined(separator: ", ")
        }
    }

    @Test func aDeploymentWithoutVolumesGetsTheListAndAMount() throws {
        let yaml = """
            apiVersion: apps/v1
            kind: Deployment
            spec:
              template:
                spec:
                  containers:
                  - name: a
                    volumeMounts: []
                  - name: b
                    volumeMounts:
            """
        #expect(
            try changes(yaml) == [
                "spec.template.spec: append 1 to volumes (absent)",
                "spec.template.spec.containers[0]: append 1 to volumeMounts (sequence of 0)",
                "spec.template.spec.containers[1]: append 1 to volumeMounts (null)",
            ])
    }

    @Test func anExistingDiskEmptyDirAtShmIsMadeMemoryOfTheSize() throws {
        let yaml = """
            apiVersion: v1
            kind: Pod
            spec:
              containers:
              - {name: a, volumeMounts: [{name: scratch, mountPath: /dev/shm}]}
              volumes:
              - {name: other, configMap: {name: c}}
              - {name: scratch, emptyDir: {sizeLimit: 1Gi}}
            """
        #expect(try changes(yaml) == ["spec.volumes[1].emptyDir: set medium, sizeLimit"])
    }

    @Test func argoTemplatesWithoutAVolumeShareOneAppendToTheWorkflowVolumes() throws {
        let yaml = """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            spec:
              volumes: [{name: data, emptyDir: {}}]
              templates:
              - {name: a, container: {image: x}}
              - {name: b, script: {image: y, source: s}}
            """
        #expect(
            try changes(yaml) == [
                "spec: append 1 to volumes (sequence of 1)",
                "spec.templates[0].container: append 1 to volumeMounts (absent)",
                "spec.templates[1].script: append 1 to volumeMounts (absent)",
            ])
    }

    @Test func aListKeyThatHoldsNoListIsRefusedWithItsResource() throws {
        let yaml = "{apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {containers: [{name: a}], volumes: {}}}"
        do throws(Diagnostic) {
            _ = try changes(yaml)
            Issue.record("a mapping at 'volumes' was planned")
        } catch {
            #expect(error.message == "'spec.volumes' is not a list")
            #expect(error.resource == "Pod/p")
            #expect(error.offset == yaml.utf8.count - 4)
        }
    }

    @Test func hostIPCLeavesThePodSpecAloneWithAWarning() throws {
        let yaml = "{apiVersion: v1, kind: Pod, spec: {hostIPC: true, containers: [{name: a}]}}"
        let bytes = Array(yaml.utf8)
        let fields = FieldReader(source: SourceLocator(bytes))
        let document = try #require(try YAMLReader().read(bytes).documents.first)
        let located = try #require(try PodSpecLocator(fields: fields).locate(document).first)
        let plan = try FixPlanner(options: FixOptions(size: .bytes(2 << 30)), fields: fields).plan(located)
        #expect(plan.changes.isEmpty)
        #expect(
            plan.findings.map(\.message) == [
                "'spec' has hostIPC: true, so its containers share the host's /dev/shm; an emptyDir would hide it — left alone"
            ])
        #expect(plan.findings.first?.offset == yaml.utf8.count - 40)
    }
}
