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

    /// Argo Workflows kinds: volumes at `spec.volumes` (or `spec.workflowSpec.volumes`),
    /// containers in each template.
    public static let argoWorkflowSpecPaths: [String: [String]] = [
        "Workflow": ["spec"],
        "WorkflowTemplate": ["spec"],
        "ClusterWorkflowTemplate": ["spec"],
        "CronWorkflow": ["spec", "workflowSpec"],
    ]

    /// The group of Argo Workflows.
    public static let argoGroup = "argoproj.io"
}
