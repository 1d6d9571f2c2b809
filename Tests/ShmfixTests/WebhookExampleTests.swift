import Foundation
import Testing

/// `Examples/webhook` builds with the real `kubectl kustomize`, and the objects in it carry the
/// settings docs/webhook.md explains.
@Suite("Examples/webhook", .enabled(if: IntegrationClients.mayRun("kubectl", "python3")))
struct WebhookExampleTests {
    /// The rendered objects, by kind.
    static func objects() throws -> [String: [String: Any]] {
        let kubectl = try ProcessRunner.run(
            try IntegrationClients.path("kubectl"),
            ["kustomize", TestEnvironment.packageRoot.appendingPathComponent("Examples/webhook").path])
        guard kubectl.status == 0 else { throw IntegrationFailure("kubectl kustomize failed: \(kubectl.stderr)") }
        let script = "import json, sys, yaml; print(json.dumps([d for d in yaml.safe_load_all(sys.stdin) if d]))"
        let json = try ProcessRunner.run(try IntegrationClients.path("python3"), ["-c", script], stdin: kubectl.stdout)
        guard json.status == 0 else { throw IntegrationFailure("yaml to json failed: \(json.stderr)") }
        let list = try #require(try AdmissionJSON.parse(json.stdout) as? [[String: Any]])
        var byKind: [String: [String: Any]] = [:]
        for object in list {
            let kind = try #require(object["kind"] as? String)
            #expect(byKind[kind] == nil, "one \(kind)")
            byKind[kind] = object
        }
        return byKind
    }

    @Test func rendersEveryObject() throws {
        let kinds = Set(try Self.objects().keys)
        #expect(
            kinds == [
                "Namespace", "ServiceAccount", "Deployment", "PodDisruptionBudget", "Service", "Issuer", "Certificate",
                "MutatingWebhookConfiguration",
            ])
    }

    @Test func mutatingWebhookConfiguration() throws {
        let configuration = try #require(try Self.objects()["MutatingWebhookConfiguration"])
        let metadata = try #require(configuration["metadata"] as? [String: Any])
        let annotations = try #require(metadata["annotations"] as? [String: String])
        #expect(annotations["cert-manager.io/inject-ca-from"] == "shmfix-system/shmfix-webhook")
        let webhooks = try #require(configuration["webhooks"] as? [[String: Any]])
        #expect(webhooks.count == 1)
        let webhook = try #require(webhooks.first)
        #expect(webhook["admissionReviewVersions"] as? [String] == ["v1"])
        #expect(webhook["sideEffects"] as? String == "None")
        #expect(webhook["failurePolicy"] as? String == "Ignore")
        #expect(webhook["timeoutSeconds"] as? Int == 5)
        #expect(webhook["reinvocationPolicy"] as? String == "IfNeeded")
        let rules = try #require(webhook["rules"] as? [[String: Any]])
        #expect(rules.count == 1)
        #expect(rules.first?["resources"] as? [String] == ["pods"])
        #expect(rules.first?["operations"] as? [String] == ["CREATE"])
        #expect(rules.first?["apiGroups"] as? [String] == [""])
        #expect(rules.first?["apiVersions"] as? [String] == ["v1"])
        let service = try #require((webhook["clientConfig"] as? [String: Any])?["service"] as? [String: Any])
        #expect(service["name"] as? String == "shmfix-webhook")
        #expect(service["namespace"] as? String == "shmfix-system")
        #expect(service["path"] as? String == "/mutate")
        #expect(service["port"] as? Int == 443)
        // Opt-in: only namespaces labelled shmfix.dev/inject=enabled, never the webhook's own
        // namespace nor kube-system.
        let selector = try #require(webhook["namespaceSelector"] as? [String: Any])
        let expressions = try #require(selector["matchExpressions"] as? [[String: Any]])
        #expect(selector["matchLabels"] == nil)
        #expect(
            expressions.contains {
                $0["key"] as? String == "shmfix.dev/inject" && $0["operator"] as? String == "In" && $0["values"] as? [String] == ["enabled"]
            })
        #expect(
            expressions.contains {
                $0["key"] as? String == "kubernetes.io/metadata.name" && $0["operator"] as? String == "NotIn"
                    && Set($0["values"] as? [String] ?? []) == ["shmfix-system", "kube-system"]
            })
    }

    @Test func deploymentServiceAndCertificate() throws {
        let objects = try Self.objects()
        let deployment = try #require(objects["Deployment"])
        let spec = try #require(deployment["spec"] as? [String: Any])
        #expect(spec["replicas"] as? Int == 2)
        let podSpec = try #require((spec["template"] as? [String: Any])?["spec"] as? [String: Any])
        #expect((podSpec["topologySpreadConstraints"] as? [Any])?.isEmpty == false)
        #expect((podSpec["securityContext"] as? [String: Any])?["runAsNonRoot"] as? Bool == true)
        let container = try #require((podSpec["containers"] as? [[String: Any]])?.first)
        #expect((container["securityContext"] as? [String: Any])?["readOnlyRootFilesystem"] as? Bool == true)
        let resources = try #require(container["resources"] as? [String: Any])
        #expect(resources["requests"] != nil && resources["limits"] != nil)
        for probe in ["livenessProbe", "readinessProbe"] {
            let get = try #require((container[probe] as? [String: Any])?["httpGet"] as? [String: Any])
            #expect(get["scheme"] as? String == "HTTPS")
        }
        #expect(((container["livenessProbe"] as? [String: Any])?["httpGet"] as? [String: Any])?["path"] as? String == "/healthz")
        let args = container["args"] as? [String] ?? []
        #expect(args.contains("--port=9443"))
        let service = try #require(objects["Service"]?["spec"] as? [String: Any])
        let port = try #require((service["ports"] as? [[String: Any]])?.first)
        #expect(port["port"] as? Int == 443 && port["targetPort"] as? String == "https")
        let certificate = try #require(objects["Certificate"]?["spec"] as? [String: Any])
        #expect(
            certificate["dnsNames"] as? [String] == ["shmfix-webhook.shmfix-system.svc", "shmfix-webhook.shmfix-system.svc.cluster.local"])
        #expect(objects["PodDisruptionBudget"]?["spec"].flatMap { ($0 as? [String: Any])?["minAvailable"] as? Int } == 1)
    }
}
