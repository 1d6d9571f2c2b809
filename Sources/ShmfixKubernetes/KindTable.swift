/// Kubernetes knowledge as data: where pod specs are, by kind, and which kinds are never touched.
public enum KindTable {
    /// API groups whose kinds are the built-in ones (so a Kruise `StatefulSet` is not mistaken
    /// for `apps/v1`'s).
    public static let builtInGroups: Set<String> = ["", "apps", "batch", "extensions"]

    /// Paths from the resource root to the pod spec of each built-in workload kind.
    public static let podSpecPaths: [String: [String]] = [
        "Pod": ["spec"],
        "PodTemplate": ["template", "spec"],
        "Deployment": ["spec", "template", "spec"],
        "StatefulSet": ["spec", "template", "spec"],
        "DaemonSet": ["spec", "template", "spec"],
        "ReplicaSet": ["spec", "template", "spec"],
        "ReplicationController": ["spec", "template", "spec"],
        "Job": ["spec", "template", "spec"],
        "CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
    ]

    /// Built-in kinds that hold no pod spec (searched no further).
    public static let builtInWithoutPodSpec: Set<String> = [
        "ConfigMap", "Secret", "Service", "Namespace", "ServiceAccount", "Endpoints", "Event",
        "LimitRange", "ResourceQuota", "PersistentVolume", "PersistentVolumeClaim", "Ingress",
        "NetworkPolicy", "HorizontalPodAutoscaler", "PodDisruptionBudget", "Role", "ClusterRole",
        "RoleBinding", "ClusterRoleBinding", "StorageClass", "PriorityClass",
    ]

    /// Kinds that describe pods without being them, or whose `containers` is not a pod spec:
    /// never touched, whatever their group.
    public static let neverTouched: Set<String> = [
        "CustomResourceDefinition", "ConfigMap", "Secret",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
        "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding",
        "MutatingAdmissionPolicy", "MutatingAdmissionPolicyBinding",
        "SidecarSet", "WorkloadAllowlist",
    ]

    /// Groups all of whose kinds are policies (Gatekeeper constraints, Kyverno).
    public static let neverTouchedGroups: Set<String> = [
        "constraints.gatekeeper.sh", "templates.gatekeeper.sh", "mutations.gatekeeper.sh",
        "kyverno.io", "policies.kyverno.io", "wgpolicyk8s.io",
    ]

    /// Kinds never touched whose users deserve a note saying why.
    public static let notedNeverTouched: [String: String] = [
        "SidecarSet": "a Kruise SidecarSet's containers are injected into other pods; fix those pods instead",
        "WorkloadAllowlist": "a GKE WorkloadAllowlist describes containers, it does not run them",
    ]

    /// Kinds, by group, whose `containers` or `values` are free-form data that another program
    /// turns into pods: Helm values (Flux, Argo CD) and prometheus-operator's strategic-merge
    /// overrides of the pods it builds. Never edited, with a note saying why.
    public static let freeFormKinds: [String: [String: String]] = [
        "helm.toolkit.fluxcd.io": [
            "HelmRelease":
                "a Flux HelmRelease's values are the chart's input, not a pod spec; fix the chart's output (shmfix as a post-renderer) instead"
        ],
        "argoproj.io": [
            "Application":
                "an Argo CD Application's Helm values are the chart's input, not a pod spec; fix the rendered manifests (the Argo CD plugin) instead",
            "ApplicationSet":
                "an Argo CD ApplicationSet's Helm values are the chart's input, not a pod spec; fix the rendered manifests (the Argo CD plugin) instead",
        ],
        "monitoring.coreos.com": [
            "Prometheus": prometheusOperatorNote, "PrometheusAgent": prometheusOperatorNote,
            "Alertmanager": prometheusOperatorNote, "ThanosRuler": prometheusOperatorNote,
        ],
    ]

    private static let prometheusOperatorNote =
        "prometheus-operator merges its spec.containers into the pods it builds (a strategic-merge override, not a pod spec)"

    /// Keys whose values are free-form data (Helm values) wherever they are: the search by shape
    /// never goes into them.
    public static let freeFormKeys: Set<String> = ["values", "valuesObject"]

    /// Argo Workflows kinds whose templates share the workflow's volumes: volumes at
    /// `spec.volumes` (or `spec.workflowSpec.volumes`), containers in each template.
    public static let argoWorkflowSpecPaths: [String: [String]] = [
        "Workflow": ["spec"],
        "CronWorkflow": ["spec", "workflowSpec"],
    ]

    /// Argo Workflows kinds whose templates are called through `templateRef` from workflows
    /// whose volumes they cannot see: each template that runs containers carries its own volume.
    public static let argoTemplateLibraryKinds: Set<String> = ["WorkflowTemplate", "ClusterWorkflowTemplate"]

    /// Every Argo Workflows kind that runs templates.
    public static var argoWorkflowKinds: Set<String> { argoTemplateLibraryKinds.union(argoWorkflowSpecPaths.keys) }

    /// The group of KServe.
    public static let kserveGroup = "serving.kserve.io"

    /// The components of a KServe `InferenceService`, each a pod spec.
    public static let kserveComponents = ["predictor", "transformer", "explainer"]

    /// The keys of a KServe component whose mapping is its main container (`model:` or a
    /// framework), named `kserve-container` in the pod KServe builds.
    public static let kserveMainContainerKeys = [
        "model", "sklearn", "xgboost", "tensorflow", "pytorch", "triton", "onnx", "huggingface", "pmml", "lightgbm",
        "paddle", "alibi", "art",
    ]

    /// The name KServe gives a component's main container.
    public static let kserveMainContainerName = "kserve-container"

    /// The group of Argo Workflows.
    public static let argoGroup = "argoproj.io"

    /// What the tables above say about a resource of `kind` in `group`, in the order they apply:
    /// free-form kinds and kinds never touched first, then the kinds whose pod specs are at
    /// known paths, then the search by shape.
    static func rule(kind: String, group: String) -> KindRule {
        BuiltInRules().rule(kind: kind, group: group)
    }

    /// `rule(kind:group:)` of a kind of a group that is not built in.
    fileprivate static func ruleOutsideBuiltInGroups(kind: String, group: String) -> KindRule {
        if let why = freeFormKinds[group]?[kind] { return .untouched(note: why) }
        if neverTouched.contains(kind) || neverTouchedGroups.contains(group) { return .untouched(note: notedNeverTouched[kind]) }
        if group == argoGroup {
            if let route = argoWorkflowSpecRoutes[kind] { return .argoSharedVolumes(specPath: route) }
            if argoTemplateLibraryKinds.contains(kind) { return .argoTemplateLibrary }
        }
        if group == kserveGroup, kind == "InferenceService" { return .kserve }
        return .byShape
    }

    /// `argoWorkflowSpecPaths` as routes.
    private static let argoWorkflowSpecRoutes = argoWorkflowSpecPaths.mapValues(FieldRoute.init)

    /// `builtInGroups` as a list.
    fileprivate static let builtInGroupList = Array(builtInGroups)

    /// The rule of each kind of a built-in group that is not searched by shape: a kind never
    /// touched before a kind without a pod spec before a workload.
    fileprivate static let builtInRules: [String: KindRule] = {
        var rules: [String: KindRule] = [:]
        for (kind, path) in podSpecPaths { rules[kind] = .podSpecPath(FieldRoute(path)) }
        for kind in builtInWithoutPodSpec { rules[kind] = .withoutPodSpec }
        for kind in neverTouched { rules[kind] = .untouched(note: notedNeverTouched[kind]) }
        return rules
    }()
}

/// `KindTable.rule(kind:group:)` with the tables of the built-in groups, which nearly every
/// resource is of, taken once by their holder (a `PodSpecLocator`) instead of at each lookup.
struct BuiltInRules: Sendable {
    /// `KindTable.builtInGroups` as a list.
    private let groups = KindTable.builtInGroupList
    /// The rule of each kind of a built-in group that is not searched by shape.
    private let rules = KindTable.builtInRules

    /// The tables.
    init() {}

    /// What the tables say about a resource of `kind` in `group` (`KindTable.rule(kind:group:)`).
    func rule(kind: String, group: String) -> KindRule {
        // Most resources are built-in: a scan of four short strings and one lookup by kind.
        if groups.contains(group) { return rules[kind] ?? .byShape }
        return KindTable.ruleOutsideBuiltInGroups(kind: kind, group: group)
    }
}

/// Where the pod specs of a kind are (`KindTable.rule(kind:group:)`).
enum KindRule: Sendable {
    /// Never touched; the note says why (`nil`: silently).
    case untouched(note: String?)
    /// A built-in kind that holds no pod spec.
    case withoutPodSpec
    /// A built-in workload, whose pod spec is at this path (`KindTable.podSpecPaths`).
    case podSpecPath(FieldRoute)
    /// An Argo `Workflow` or `CronWorkflow`, whose templates share the volumes of the workflow
    /// spec at this path.
    case argoSharedVolumes(specPath: FieldRoute)
    /// An Argo `WorkflowTemplate` or `ClusterWorkflowTemplate`: each template has its own volumes.
    case argoTemplateLibrary
    /// A KServe `InferenceService`.
    case kserve
    /// Any other kind: searched by shape.
    case byShape
}
