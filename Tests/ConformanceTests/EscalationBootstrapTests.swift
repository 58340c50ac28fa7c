// No invented power: on a stock cluster's bootstrap policy, exactly the identities that truly
// can reach full authority are reported, certain and conditional ones apart. Each entry says
// the path, so a reviewer can check it against the roles by hand (kubernetes-bootstrap/…
// controller-roles.yaml and friends; `rbacgraph paths --from … -f …` prints the grants).

import RBACCore
import Testing

@Suite("Escalation: the bootstrap policy", .enabled(if: EscalationCorpus.isPresent, "needs ../shared/corpus"))
struct EscalationBootstrapTests {
    /// Reach full authority from RBAC alone.
    static let certain: [String: String] = [
        // The API server allows system:masters everything, ahead of RBAC.
        "group:system:masters": "system-masters",
        // ClusterRole system:controller:clusterrole-aggregation-controller: escalate + update on
        // clusterroles, and it is bound to the same SA: it can add `*` to its own role.
        "sa:kube-system/clusterrole-aggregation-controller": "escalate",
        // get/list/watch/patch/update/delete on `*` in `*`: update includes
        // mutating/validatingwebhookconfigurations.
        "sa:kube-system/generic-garbage-collector": "webhook-config",
        // ClusterRole system:kube-controller-manager: create serviceaccounts/token (no
        // resourceNames): a token for kube-system/clusterrole-aggregation-controller (or the
        // garbage collector).
        "user:system:kube-controller-manager": "token-request",
        // create jobs (batch) cluster-wide: a Job's pod may run in kube-system as
        // clusterrole-aggregation-controller (or generic-garbage-collector).
        "sa:kube-system/cronjob-controller": "workload-create",
        // create replicasets (apps) cluster-wide: the same through a ReplicaSet.
        "sa:kube-system/deployment-controller": "workload-create",
        // create pods cluster-wide: a pod in kube-system as clusterrole-aggregation-controller.
        "sa:kube-system/daemon-set-controller": "pod-create",
        "sa:kube-system/job-controller": "pod-create",
        "sa:kube-system/persistent-volume-binder": "pod-create",  // recycler pods
        "sa:kube-system/replicaset-controller": "pod-create",
        "sa:kube-system/replication-controller": "pod-create",
        "sa:kube-system/statefulset-controller": "pod-create",
    ]

    /// Reach it only if a runtime fact holds (the first step, and the condition).
    static let conditional: [String: String] = [
        // create/update configmaps cluster-wide: kube-system/aws-auth, if the cluster is EKS.
        "sa:kube-system/root-ca-cert-publisher": "aws-auth",
        // get on `*` in `*` includes nodes/proxy: the kubelets, full authority if a node it
        // reaches runs control-plane pods. (It may also list every secret.)
        "sa:kube-system/namespace-controller": "node-proxy",
        // Role system:controller:bootstrap-signer in kube-system: get/list/watch secrets: a
        // legacy token secret of a kube-system controller above, if one exists.
        "sa:kube-system/bootstrap-signer": "secrets-read",
        // Role system:controller:token-cleaner in kube-system: delete/get/list/watch secrets.
        "sa:kube-system/token-cleaner": "secrets-read",
        // list/watch on `*` in `*`: every secret, legacy token secrets included.
        "sa:kube-system/resourcequota-controller": "secrets-read",
    ]

    /// v1.24's expand-controller may also `get secrets` (for GlusterFS): without names, and
    /// then only through a legacy token secret. Later versions dropped the rule.
    static let conditionalV124 = conditional.merging(["sa:kube-system/expand-controller": "secrets-read"]) { a, _ in a }

    static let latestFiles = [
        "cluster-roles.yaml", "cluster-role-bindings.yaml", "controller-roles.yaml", "controller-role-bindings.yaml",
        "namespace-roles.yaml", "namespace-role-bindings.yaml",
    ].map { "kubernetes-bootstrap/" + $0 }

    /// (the policy files, the conditional identities expected).
    static let policies: [(String, [String: String])] = [("v1.24", conditionalV124), ("latest test data", conditional)]

    static func graph(_ name: String) throws -> Scenario {
        try EscalationCorpus.scenario(name == "v1.24" ? [] : latestFiles, stock: name == "v1.24")
    }

    @Test("exactly these identities reach full authority, certainly or conditionally", arguments: policies)
    func fullAuthority(_ name: String, _ conditional: [String: String]) throws {
        let s = try Self.graph(name)
        let reached = s.esc.identitiesReaching(.fullAuthority)
        var certainFound: [String: String] = [:]
        var conditionalFound: [String: String] = [:]
        for p in reached {
            let who = s.esc.nodes[p.start].description
            let first = p.steps.first?.kind.rawValue ?? "none"
            if p.isCertain { certainFound[who] = first } else { conditionalFound[who] = first }
        }
        #expect(certainFound == Self.certain)
        #expect(conditionalFound == conditional)
    }

    /// The certain paths end where the comments say: the aggregation controller's escalate on
    /// its own ClusterRole, or the garbage collector's webhook access.
    @Test("the certain paths, step by step", arguments: policies.map(\.0))
    func certainPaths(_ name: String) throws {
        let s = try Self.graph(name)
        #expect(s.trail("sa:kube-system/clusterrole-aggregation-controller") == ["escalate→cluster-admin"])
        #expect(s.trail("sa:kube-system/generic-garbage-collector") == ["webhook-config→cluster-admin"])
        #expect(s.trail("user:system:kube-controller-manager") == [
            "token-request→sa:*/*", "every-namespace→sa:kube-system/*",
            "each-service-account→sa:kube-system/clusterrole-aggregation-controller", "escalate→cluster-admin",
        ])
        #expect(s.trail("sa:kube-system/job-controller") == [
            "pod-create→run-pods:*", "run-as→sa:*/*", "every-namespace→sa:kube-system/*",
            "each-service-account→sa:kube-system/clusterrole-aggregation-controller", "escalate→cluster-admin",
        ])
        let gc = s.steps("sa:kube-system/generic-garbage-collector", .webhookConfig)
        #expect(gc.map(\.because) == [[
            "ClusterRoleBinding/system:controller:generic-garbage-collector → ClusterRole/system:controller:generic-garbage-collector rule 0: update mutatingwebhookconfigurations.admissionregistration.k8s.io",
        ]])
        let aggregation = s.steps("sa:kube-system/clusterrole-aggregation-controller", .escalate)
        #expect(aggregation.map(\.because) == [[
            "ClusterRoleBinding/system:controller:clusterrole-aggregation-controller → ClusterRole/system:controller:clusterrole-aggregation-controller rule 0: escalate clusterroles.rbac.authorization.k8s.io system:controller:clusterrole-aggregation-controller",
            "ClusterRoleBinding/system:controller:clusterrole-aggregation-controller → ClusterRole/system:controller:clusterrole-aggregation-controller rule 0: update clusterroles.rbac.authorization.k8s.io system:controller:clusterrole-aggregation-controller",
        ]])
    }

    /// Powerful-looking permissions that are not a path: the certificate controller approves
    /// only kubelet client certificates and creates no CSR; the scheduler binds pods to nodes;
    /// cloud-provider may create configmaps in kube-system but not change aws-auth.
    @Test("look-alikes in the bootstrap policy give no path", arguments: policies.map(\.0))
    func lookAlikes(_ name: String) throws {
        let s = try Self.graph(name)
        for who in [
            "sa:kube-system/certificate-controller", "user:system:kube-scheduler", "sa:kube-system/cloud-provider",
            "sa:kube-system/node-controller", "sa:kube-system/horizontal-pod-autoscaler", "group:system:authenticated",
            "user:system:anonymous", "group:system:serviceaccounts",
        ] {
            #expect(s.best(who) == nil, "\(who): \(s.trail(who))")
        }
        #expect(s.grantedKinds("sa:kube-system/certificate-controller").isEmpty)
    }

    /// The reverse search and the forward one agree on every identity of the policy.
    @Test("identitiesReaching agrees with paths(from:to:) on the bootstrap policy")
    func agreement() throws {
        let s = try Self.graph("v1.24")
        let reverse = Dictionary(uniqueKeysWithValues: s.esc.identitiesReaching(.fullAuthority).map { ($0.start, $0.cost) })
        for (i, node) in zip(s.esc.nodes.ids, s.esc.nodes) where node.isIdentity {
            let forward = s.esc.paths(from: node, to: .fullAuthority).first?.cost
            #expect(forward == reverse[i], "\(node)")
        }
    }
}
