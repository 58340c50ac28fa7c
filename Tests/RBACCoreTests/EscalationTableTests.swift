// The escalation table (what pictures mark dangerous) and the privilege-path engine agree:
// every row, held with the companions its step needs, is a step of that kind.

import RBACCore
import Testing

@Suite("The escalation table")
struct EscalationTableTests {
    static func rule(_ verbs: [String], _ group: String, _ resource: String, names: [String] = []) -> PolicyRule {
        PolicyRule(verbs: verbs, apiGroups: [group], resources: [resource], resourceNames: names)
    }

    /// What a step needs beside the permission that names it.
    static func companions(_ row: EscalationPermission) -> [PolicyRule] {
        let rbac = "rbac.authorization.k8s.io"
        let certificates = "certificates.k8s.io"
        switch row.kind {
        case .tokenSecret: return [rule(["get"], "", "secrets")]
        case .bind: return [rule(["create"], rbac, row.resource == "roles" ? "rolebindings" : "clusterrolebindings")]
        case .escalate: return [rule(["update"], rbac, row.resource)]
        case .csrApprove:
            return [rule(["create"], certificates, "certificatesigningrequests"), rule(["update"], certificates, "certificatesigningrequests/approval"),
                    rule(["approve"], certificates, "signers")]
        case .namespacePSA, .pvCreate: return [rule(["create"], "", "pods")]
        case .impersonate where row.resource == "groups": return [rule(["impersonate"], "", "users")]
        default: return []
        }
    }

    @Test("each row, with its companions, is a step of its kind", arguments: EscalationPermission.table.indices)
    func rowIsAStep(_ i: Int) {
        let row = EscalationPermission.table[i]
        let granted = [Self.rule(row.verbs, row.apiGroup, row.resource, names: row.names)] + Self.companions(row)
        let kinds = ["Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController"]
        // A role to bind or escalate, in both scopes; alice is bound to both.
        let roles = [clusterRole("held", granted), role("ns", "held", granted)]
        let bindings = [
            clusterRoleBinding("held", to: "held", [.user("alice")]),
            roleBinding("ns", "held", to: "held", kind: "Role", [.user("alice")]),
            roleBinding("ns", "bob", to: "held", kind: "Role", [.user("bob")]),
        ]
        let esc = escalation(
            roles, bindings, serviceAccounts: [ServiceAccount(namespace: "ns", name: "app")], namespaces: [Namespace(name: "ns")],
            workloads: [pod("ns", "web", as: "app")] + kinds.map { workload($0, "ns", "w", as: "app") })
        #expect(!esc.steps(from: aliceNode, row.kind).isEmpty, "\(row.verbs) \(row.resource).\(row.apiGroup) → \(row.kind)")
    }

    @Test("danger: wildcards, table rows, named rows, and harmless grants",
          arguments: [
            (["get"], "", "secrets", [], "reads secrets"),
            (["*"], "", "configmaps", [], "wildcard"),
            (["get"], "*", "pods", [], "wildcard"),
            (["get"], "", "*/scale", [], "wildcard"),
            (["create"], "apps", "deployments", [], "runs pods"),
            (["create"], "example.com", "deployments", [], nil),
            (["update"], "", "configmaps", ["aws-auth"], "maps IAM identities (aws-auth)"),
            (["update"], "", "configmaps", [], nil),
            (["get"], "", "nodes/proxy", [], "kubelet API"),
            (["list"], "", "pods", [], nil),
          ] as [([String], String, String, [String], String?)])
    func danger(verbs: [String], group: String, resource: String, names: [String], reason: String?) {
        #expect(EscalationPermission.danger(verbs: verbs, apiGroup: group, resource: resource, resourceNames: names) == reason)
    }
}
