import ShmfixCore
import ShmfixDiagnostics
import ShmfixKubernetes
import ShmfixPlanning
import ShmfixRendering
import ShmfixYAML
import Testing

/// `PodSpecLocator`: where pod specs are found, by kind, by shape, in Lists and in Argo
/// Workflows; what is never touched; and what is refused with a position.
@Suite struct LocatorTests {
    /// The located resources of the first document of `text`.
    func locate(_ text: String) throws(Diagnostic) -> [LocatedResource] {
        let bytes = Array(text.utf8)
        let stream = try YAMLReader().read(bytes)
        let locator = PodSpecLocator(fields: FieldReader(source: SourceLocator(bytes)))
        guard let document = stream.documents.first else { return [] }
        return try locator.locate(document)
    }

    /// The dotted paths of every pod spec found in `text`.
    func podSpecPaths(_ text: String) throws(Diagnostic) -> [String] {
        try locate(text).flatMap(\.sites).map(\.podSpec.path.dotted)
    }

    static let container = "containers: [{name: a, image: b}]"

    @Test(arguments: [
        ("Pod", "v1", "spec: {\(container)}", "spec"),
        ("PodTemplate", "v1", "template: {spec: {\(container)}}", "template.spec"),
        ("Deployment", "apps/v1", "spec: {template: {spec: {\(container)}}}", "spec.template.spec"),
        ("StatefulSet", "apps/v1", "spec: {template: {spec: {\(container)}}}", "spec.template.spec"),
        ("DaemonSet", "apps/v1", "spec: {template: {spec: {\(container)}}}", "spec.template.spec"),
        ("ReplicaSet", "apps/v1", "spec: {template: {spec: {\(container)}}}", "spec.template.spec"),
        ("ReplicationController", "v1", "spec: {template: {spec: {\(container)}}}", "spec.template.spec"),
        ("Job", "batch/v1", "spec: {template: {spec: {\(container)}}}", "spec.template.spec"),
        ("CronJob", "batch/v1", "spec: {jobTemplate: {spec: {template: {spec: {\(container)}}}}}", "spec.jobTemplate.spec.template.spec"),
        ("Deployment", "extensions/v1beta1", "spec: {template: {spec: {\(container)}}}", "spec.template.spec"),
    ])
    func builtInKindsHaveTheirPath(_ kind: String, _ apiVersion: String, _ body: String, _ path: String) throws {
        #expect(try podSpecPaths("{apiVersion: \(apiVersion), kind: \(kind), metadata: {name: x}, \(body)}") == [path])
    }

    @Test func builtInKindsDoNotSearchElsewhere() throws {
        let text = "{apiVersion: apps/v1, kind: Deployment, spec: {extra: {\(Self.container)}, template: {spec: {}}}}"
        #expect(try podSpecPaths(text) == [])
    }

    @Test func kruiseStatefulSetIsFoundByShape() throws {
        let text = "{apiVersion: apps.kruise.io/v1beta1, kind: StatefulSet, spec: {template: {spec: {\(Self.container)}}}}"
        #expect(try podSpecPaths(text) == ["spec.template.spec"])
    }

    @Test func operatorKindsAreSearchedByShapeWithoutDescendingIntoAPodSpec() throws {
        let text = """
            apiVersion: ray.io/v1
            kind: RayCluster
            metadata: {name: r}
            spec:
              headGroupSpec:
                template:
                  spec:
                    containers: [{name: head}]
                    extra: {containers: [{name: not-a-pod}]}
              workerGroupSpecs:
              - template: {spec: {containers: [{name: w1}]}}
              - template: {spec: {containers: [{name: w2}]}}
            status: {containers: [{name: ignored}]}
            """
        #expect(
            try podSpecPaths(text) == [
                "spec.headGroupSpec.template.spec", "spec.workerGroupSpecs[0].template.spec", "spec.workerGroupSpecs[1].template.spec",
            ])
    }

    @Test func containersThatAreNotMappingsAreNoPodSpec() throws {
        let text = "{apiVersion: example.com/v1, kind: Thing, spec: {containers: [a, b], list: {containers: []}}}"
        #expect(try podSpecPaths(text) == [])
    }

    @Test func aPodSpecWithoutContainersYieldsNoSite() throws {
        #expect(try podSpecPaths("{apiVersion: v1, kind: Pod, spec: {containers: []}}") == [])
        #expect(try podSpecPaths("{apiVersion: v1, kind: Pod, spec: {restartPolicy: Never}}") == [])
    }

    @Test func documentsWithoutKindAreNotResources() throws {
        #expect(try locate("spec: {\(Self.container)}").isEmpty)
        #expect(try locate("- a\n- b\n").isEmpty)
        #expect(try locate("just text\n").isEmpty)
    }

    @Test func listItemsAreResourcesOfTheirOwn() throws {
        let text = """
            apiVersion: v1
            kind: List
            items:
            - {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {\(Self.container)}}
            - {apiVersion: v1, kind: Service, metadata: {name: s}, spec: {ports: [{port: 80}]}}
            - {apiVersion: apps/v1, kind: Deployment, metadata: {name: d, namespace: ns}, spec: {template: {spec: {\(Self.container)}}}}
            """
        let located = try locate(text)
        #expect(located.map(\.resource.id) == ["Pod/p", "Service/s", "Deployment/ns/d"])
        #expect(located.flatMap(\.sites).map(\.podSpec.path.dotted) == ["items[0].spec", "items[2].spec.template.spec"])
    }

    @Test(arguments: [
        ("apiextensions.k8s.io/v1", "CustomResourceDefinition"), ("v1", "ConfigMap"), ("v1", "Secret"),
        ("kyverno.io/v1", "ClusterPolicy"), ("kyverno.io/v1", "Policy"), ("templates.gatekeeper.sh/v1", "ConstraintTemplate"),
        ("constraints.gatekeeper.sh/v1beta1", "K8sRequiredShm"), ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"),
        ("apps.kruise.io/v1alpha1", "SidecarSet"), ("auto.gke.io/v1", "WorkloadAllowlist"),
    ])
    func neverTouchedKindsYieldNoSites(_ apiVersion: String, _ kind: String) throws {
        let text = "{apiVersion: \(apiVersion), kind: \(kind), spec: {\(Self.container), template: {spec: {\(Self.container)}}}}"
        #expect(try podSpecPaths(text) == [])
    }

    @Test func sidecarSetGetsANote() throws {
        let located = try locate("{apiVersion: apps.kruise.io/v1alpha1, kind: SidecarSet, spec: {\(Self.container)}}")
        #expect(
            located.first?.notes.map(\.message) == [
                "left untouched: a Kruise SidecarSet's containers are injected into other pods; fix those pods instead"
            ])
    }

    @Test func skipAnnotationSkipsWithANote() throws {
        let text = """
            {apiVersion: v1, kind: Pod, metadata: {annotations: {shmfix.dev/skip: "true"}}, spec: {\(Self.container)}}
            """
        let located = try locate(text)
        #expect(located.first?.sites.isEmpty == true)
        #expect(located.first?.notes.map(\.message) == ["skipped: annotated shmfix.dev/skip: \"true\""])
        #expect(try podSpecPaths(text.replacingOccurrences(of: "\"true\"", with: "\"false\"")) == ["spec"])
    }

    @Test(arguments: [
        "nodeSelector: {kubernetes.io/os: windows}", "nodeSelector: {beta.kubernetes.io/os: windows}", "os: {name: windows}",
    ])
    func windowsPodSpecsAreSkippedWithANote(_ selector: String) throws {
        let located = try locate("{apiVersion: v1, kind: Pod, spec: {\(selector), \(Self.container)}}")
        #expect(located.first?.sites.isEmpty == true)
        #expect(located.first?.notes.first?.message.hasPrefix("skipped 'spec': it selects Windows nodes") == true)
    }

    @Test func linuxPodSpecsAreKept() throws {
        #expect(
            try podSpecPaths("{apiVersion: v1, kind: Pod, spec: {nodeSelector: {kubernetes.io/os: linux}, \(Self.container)}}") == ["spec"])
    }

    @Test func argoWorkflowVolumesAtTheSpecMountsInTemplates() throws {
        let text = """
            apiVersion: argoproj.io/v1alpha1
            kind: Workflow
            spec:
              templates:
              - name: steps
                steps: [[{name: a, template: c}]]
              - name: c
                container: {image: x}
              - name: s
                script: {image: y, source: print(1)}
              - name: set
                containerSet:
                  containers: [{name: p, image: z}, {name: q, image: z}]
                initContainers: [{name: i, image: z}]
            """
        let site = try #require(try locate(text).first?.sites.first)
        #expect(site.volumesOwner.path.dotted == "spec")
        #expect(
            site.pods.map { $0.containers.map(\.node.path.dotted) } == [
                ["spec.templates[1].container"], ["spec.templates[2].script"],
                [
                    "spec.templates[3].containerSet.containers[0]", "spec.templates[3].containerSet.containers[1]",
                    "spec.templates[3].initContainers[0]",
                ],
            ])
        #expect(site.containers.map(\.role) == [.regular, .regular, .regular, .regular, .initContainer])
        #expect(site.containers.map(\.name) == ["main", "main", "p", "q", "i"])
        #expect(
            site.pods.map { $0.volumeScopes.map(\.path.dotted) } == [["spec.templates[1]"], ["spec.templates[2]"], ["spec.templates[3]"]])
    }

    @Test func cronWorkflowVolumesAtTheWorkflowSpec() throws {
        let text =
            "{apiVersion: argoproj.io/v1alpha1, kind: CronWorkflow, spec: {workflowSpec: {templates: [{name: t, container: {image: x}}]}}}"
        let site = try #require(try locate(text).first?.sites.first)
        #expect(site.volumesOwner.path.dotted == "spec.workflowSpec")
        #expect(site.containers.map(\.node.path.dotted) == ["spec.workflowSpec.templates[0].container"])
    }

    @Test func aWorkflowKindOutsideArgoIsSearchedByShape() throws {
        let text = "{apiVersion: example.com/v1, kind: Workflow, spec: {templates: [{container: {image: x}}], pod: {\(Self.container)}}}"
        #expect(try podSpecPaths(text) == ["spec.pod"])
    }

    @Test func duplicateKeysOnThePathAreRefusedNamingBothLines() throws {
        let text = """
            apiVersion: v1
            kind: Pod
            spec:
              containers: [{name: a}]
              containers: [{name: b}]
            """
        let second = text.utf8.count - "containers: [{name: b}]".utf8.count
        let expected = Diagnostic(
            .error, "duplicate key 'containers' on lines 4 and 5; remove one of them", at: second, resource: "Pod/(unnamed)")
        #expect(throws: expected) { try locate(text) }
    }

    @Test func aContainerThatIsAnAliasIsRefused() throws {
        let text = """
            x: &c {name: a}
            apiVersion: v1
            kind: Pod
            metadata: {name: p, namespace: n}
            spec:
              containers: [*c]
            """
        let offset = Array(text.utf8).firstIndex(of: UInt8(ascii: "*")) ?? -1
        let expected = Diagnostic(
            .error, "'spec.containers[0]' is an alias; shmfix does not edit through aliases — expand it first", at: offset,
            resource: "Pod/n/p")
        #expect(throws: expected) { try locate(text) }
    }

    @Test func aPodSpecThatIsAnAliasIsRefused() throws {
        let text = """
            x: &spec {containers: [{name: a}]}
            apiVersion: apps/v1
            kind: Deployment
            spec: {template: {spec: *spec}}
            """
        #expect(throws: Diagnostic.self) { try locate(text) }
    }

    @Test func resourceIdentity() throws {
        let located = try locate("{apiVersion: apps/v1, kind: Deployment, metadata: {name: web, namespace: prod}}")
        let resource = try #require(located.first?.resource)
        #expect(resource.id == "Deployment/prod/web")
        #expect(resource.group == "apps")
        #expect(resource.version == "v1")
        #expect(try locate("{apiVersion: v1, kind: Pod}").first?.resource.group == "")
    }
}
