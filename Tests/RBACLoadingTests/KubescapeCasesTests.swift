import Foundation
import RBACCore
import RBACLoading
import Testing
import TestSupport

/// kubescape's own RBAC rule tests (`../shared/corpus/vulnerable/kubescape-regolibrary`, one
/// world per case, loaded without the built-in policy): what the report must say on each.
///
/// The expectations are ours, written from what Kubernetes does, next to what kubescape's
/// `expected.json` says (`kubescape:`): where kubescape detects something real, the report
/// flags the same subject or workload for the same concern; where it passes, the report is
/// quiet on that concern; where it is wrong (`pods/*` is a literal that matches no
/// subresource; a RoleBinding cannot grant cluster-scoped resources; a label is no proof of
/// origin), the report answers right. docs/findings.md maps the controls to the rules.
@Suite("Report on kubescape's RBAC rule cases")
struct KubescapeCasesTests {
    static let root = Repository.corpus.appendingPathComponent("vulnerable/kubescape-regolibrary")
    static var present: Bool { Repository.isDirectory(root) }

    /// What kubescape's expected.json says about a case.
    enum Kubescape: String {
        /// A real detection: the report must flag the same subject for the same concern.
        case detects
        /// kubescape passes it: the report must be quiet on that concern.
        case passes
        /// kubescape flags it, wrongly: the report must not.
        case wrong
    }

    /// Findings about a subject (`user:jane`, `group:dev`, `sa:NS/NAME`) or object
    /// (`Pod/default/test-pd`, `RoleBinding/default/pod`) of one of `rules`, whose message
    /// contains `about` when given.
    struct Concern: CustomStringConvertible {
        var rules: [String]
        var who: String?
        var about: String?
        /// For quiet expectations: findings up to this severity are allowed (another concern).
        var above: Severity?

        init(_ rules: String..., who: String? = nil, about: String? = nil, above: Severity? = nil) {
            self.rules = rules
            self.who = who
            self.about = about
            self.above = above
        }

        var description: String {
            "\(rules.joined(separator: "|")) \(who ?? "anyone")\(about.map { " about \"\($0)\"" } ?? "")\(above.map { " above \($0)" } ?? "")"
        }
    }

    struct Case: CustomStringConvertible, Sendable {
        /// `RULE/test/CASE` under the corpus folder.
        var path: String
        var kubescape: Kubescape
        /// Findings that must be there.
        var flagged: [Concern] = []
        /// Findings that must not.
        var quiet: [Concern] = []
        var description: String { path }
    }

    static func c(_ path: String, _ k: Kubescape, flagged: [Concern] = [], quiet: [Concern] = []) -> Case {
        Case(path: path, kubescape: k, flagged: flagged, quiet: quiet)
    }

    static let jane = "user:jane"
    static let groups = ["group:dev", "group:manager"]

    /// Every case present in the corpus, with what the report must say.
    static let cases: [Case] = [
        // C-0053 access container service account: service accounts that hold RBAC permissions.
        c("access-container-service-account-v1/test/clusterrole-clusterrolebinding", .passes,
          quiet: [Concern("default-service-account-permissions")]),
        c("access-container-service-account-v1/test/clusterrole-rolebinding", .detects,
          flagged: [Concern("default-service-account-permissions", who: "sa:default/default")]),
        c("access-container-service-account-v1/test/role-rolebinding", .detects,
          flagged: [Concern("default-service-account-permissions", who: "sa:default/default")]),
        // C-0262 anonymous access: the stock public-info binding to system:unauthenticated, with
        // the built-in label (which proves nothing).
        c("anonymous-access-enabled/test/fail", .detects,
          flagged: [Concern("public-binding", who: "ClusterRoleBinding/system:public-info-viewer", about: "labelled kubernetes.io/bootstrapping=rbac-defaults")]),
        c("anonymous-access-enabled/test/success", .passes, quiet: [Concern("public-binding")]),
        // C-0035 cluster-admin role: a `*`/`*` ClusterRole bound cluster-wide.
        c("cluster-admin-role/test/clusterrole-clusterrolebinding", .detects,
          flagged: groups.map { Concern("full-authority", who: $0) } + groups.map { Concern("cluster-admin-binding", who: $0) }),
        // Bound by a RoleBinding: kube-system's core resources, not the cluster (still named).
        c("cluster-admin-role/test/clusterrole-rolebinding", .passes,
          flagged: [Concern("cluster-admin-binding", who: jane, about: "in kube-system only"), Concern("namespace-administrator", who: jane, about: "kube-system")],
          quiet: [Concern("full-authority")]),
        // A ClusterRoleBinding cannot refer to a Role: it grants nothing.
        c("cluster-admin-role/test/role-clusterrolebinding", .passes,
          flagged: [Concern("missing-role", who: "ClusterRoleBinding/read-secrets-global")],
          quiet: [Concern("full-authority"), Concern("wildcard-rule", "port-forward", "broad-delete", who: "group:dev1")]),
        // C-0189 default service accounts: kubescape trusts the bootstrapping label; we do not.
        c("ensure-default-service-accounts-has-only-default-roles/test/pass_rolebinding_two_subjects", .passes,
          quiet: [Concern("default-service-account-permissions")]),
        c("ensure-default-service-accounts-has-only-default-roles/test/passed_clusterrolebinding", .passes,
          quiet: [Concern("default-service-account-permissions")]),
        c("ensure-default-service-accounts-has-only-default-roles/test/passed_rolebinding_one_subject", .wrong,
          flagged: [Concern("default-service-account-permissions", who: "sa:default/default", about: "labelled kubernetes.io/bootstrapping=rbac-defaults")]),
        // C-0002 exec into container: `pods/*` is a literal, not pods/exec.
        c("exec-into-container-v1/test/clusterrole", .wrong,
          quiet: [Concern("escalation-grant", "escalation-path", who: "user:dave", about: "pod-exec")]),
        c("exec-into-container-v1/test/role", .detects,
          flagged: [Concern("escalation-grant", "namespace-administrator", who: jane)]),
        // Review roles (a listing for review): both Roles are bound by nothing and use wildcards.
        c("review-roles-with-aws-iam-authenticator/test/failed", .detects,
          flagged: [Concern("wildcard-rule", who: "Role/default/test"), Concern("wildcard-rule", who: "Role/other_namespace/test")]),
        c("rolebinding-in-default-namespace/test/rolebinding", .detects,
          flagged: [Concern("rbac-in-default", who: "RoleBinding/default/pod")]),
        // C-0014 dashboard.
        c("rule-access-dashboard-subject-v1/test/clusterrole-clusterrolebinding", .detects,
          flagged: groups.map { Concern("dashboard-access", who: $0) }),
        c("rule-access-dashboard-subject-v1/test/clusterrole-rolebinding", .detects, flagged: [Concern("dashboard-access", who: jane)]),
        c("rule-access-dashboard-subject-v1/test/role-rolebinding", .detects, flagged: [Concern("dashboard-access", who: jane)]),
        // nodes/proxy is cluster-scoped: a RoleBinding does not grant it.
        c("rule-can-access-proxy-subresource/test/clusterrole-clusterrolebinding", .passes,
          quiet: [Concern("escalation-grant", "escalation-path", about: "node-proxy")]),
        c("rule-can-access-proxy-subresource/test/clusterrole-rolebinding", .wrong,
          quiet: [Concern("escalation-grant", "escalation-path", who: jane, about: "node-proxy")]),
        c("rule-can-access-proxy-subresource/test/role-rolebinding", .wrong,
          quiet: [Concern("escalation-grant", "escalation-path", who: jane, about: "node-proxy")]),
        // CSR approval is cluster-scoped.
        c("rule-can-approve-cert-signing-request/test/clusterrole-clusterrolebinding", .passes,
          quiet: [Concern("escalation-grant", "escalation-path", about: "csr-approve")]),
        c("rule-can-approve-cert-signing-request/test/clusterrole-rolebinding", .wrong,
          quiet: [Concern("escalation-grant", "escalation-path", who: jane, about: "csr-approve")]),
        c("rule-can-approve-cert-signing-request/test/role-rolebinding", .wrong,
          quiet: [Concern("escalation-grant", "escalation-path", who: jane, about: "csr-approve")]),
        // bind/escalate: bind on clusterroles through a RoleBinding binds them in its namespace.
        c("rule-can-bind-escalate/test/clusterrole-clusterrolebinding", .detects,
          flagged: groups.map { Concern("held-bind-escalate", who: $0, about: "bind") }),
        c("rule-can-bind-escalate/test/role-rolebinding", .detects,
          flagged: [Concern("held-bind-escalate", who: jane, about: "bind")]),
        // create pods: `pods` in the rbac group is not the core pods.
        c("rule-can-create-pod/test/clusterrole-clusterrolebinding", .passes,
          quiet: [Concern("escalation-grant", about: "pod-create")]),
        c("rule-can-create-pod/test/clusterrole-rolebinding", .detects,
          flagged: [Concern("escalation-grant", who: jane, about: "pod-create")]),
        c("rule-can-create-pod/test/role-rolebinding", .detects,
          flagged: [Concern("escalation-grant", who: jane, about: "pod-create")]),
        // persistent volumes are cluster-scoped.
        c("rule-can-create-pv/test/clusterrole-clusterrolebinding", .passes,
          quiet: [Concern("escalation-grant", "escalation-path", about: "pv-create")]),
        c("rule-can-create-pv/test/clusterrole-rolebinding", .wrong,
          quiet: [Concern("escalation-grant", "escalation-path", who: jane, about: "pv-create")]),
        c("rule-can-create-pv/test/role-rolebinding", .wrong,
          quiet: [Concern("escalation-grant", "escalation-path", who: jane, about: "pv-create")]),
        c("rule-can-create-service-account-token/test/clusterrole-clusterrolebinding", .passes,
          quiet: [Concern("escalation-grant", about: "token-request")]),
        c("rule-can-create-service-account-token/test/clusterrole-rolebinding", .detects,
          flagged: [Concern("escalation-grant", who: jane, about: "token-request")]),
        c("rule-can-create-service-account-token/test/role-rolebinding", .detects,
          flagged: [Concern("escalation-grant", who: jane, about: "token-request")]),
        c("rule-can-delete-k8s-events-v1/test/clusterrole-clusterrolebinding", .detects,
          flagged: groups.map { Concern("delete-events", who: $0) }),
        c("rule-can-delete-k8s-events-v1/test/clusterrole-rolebinding", .detects, flagged: [Concern("delete-events", who: jane)]),
        // `*` on `*` in every group: named once as what it is.
        c("rule-can-delete-k8s-events-v1/test/role-rolebinding", .detects,
          flagged: [Concern("delete-events", "namespace-administrator", who: jane)]),
        c("rule-can-impersonate-users-groups-v1/test/clusterrole-clusterrolebinding", .detects,
          flagged: groups.map { Concern("escalation-grant", who: $0, about: "impersonate") }),
        // Through a RoleBinding: the namespace's service accounts can be impersonated.
        c("rule-can-impersonate-users-groups-v1/test/clusterrole-rolebinding", .detects,
          flagged: [Concern("escalation-grant", who: jane, about: "impersonate")]),
        c("rule-can-impersonate-users-groups-v1/test/role-rolebinding", .detects,
          flagged: [Concern("escalation-grant", "namespace-administrator", who: jane)]),
        c("rule-can-list-get-secrets-v1/test/clusterrole-clusterrolebinding", .detects,
          flagged: groups.map { Concern("secrets-read", who: $0) }),
        c("rule-can-list-get-secrets-v1/test/clusterrole-rolebinding", .detects, flagged: [Concern("secrets-read", who: jane)]),
        c("rule-can-list-get-secrets-v1/test/role-rolebinding", .detects, flagged: [Concern("secrets-read", who: jane)]),
        // Webhook configurations are cluster-scoped.
        c("rule-can-modify-admission-webhooks/test/clusterrole-clusterrolebinding", .passes,
          quiet: [Concern("escalation-grant", "escalation-path", about: "webhook-config")]),
        c("rule-can-modify-admission-webhooks/test/clusterrole-rolebinding", .wrong,
          quiet: [Concern("escalation-grant", "escalation-path", who: jane, about: "webhook-config")]),
        c("rule-can-modify-admission-webhooks/test/role-rolebinding", .wrong,
          quiet: [Concern("escalation-grant", "escalation-path", who: jane, about: "webhook-config")]),
        // `pods/*` is a literal: no port-forward.
        c("rule-can-portforward-v1/test/clusterrole-clusterrolebinding", .wrong,
          quiet: groups.map { Concern("port-forward", who: $0) }),
        c("rule-can-portforward-v1/test/clusterrole-rolebinding", .detects, flagged: [Concern("port-forward", who: jane)]),
        c("rule-can-portforward-v1/test/role-rolebinding", .detects, flagged: [Concern("port-forward", who: jane)]),
        c("rule-can-update-configmap-v1/test/clusterrole-clusterrolebinding", .detects,
          flagged: groups.map { Concern("cluster-config-hijack", who: $0, about: "kube-system/coredns") }),
        c("rule-can-update-configmap-v1/test/clusterrole-rolebinding", .detects,
          flagged: [Concern("cluster-config-hijack", who: jane, about: "kube-system/coredns")]),
        c("rule-can-update-configmap-v1/test/role-rolebinding", .detects,
          flagged: [Concern("cluster-config-hijack", who: jane, about: "kube-system/coredns")]),
        c("rule-excessive-delete-rights-v1/test/clusterrole-clusterrolebinding", .detects,
          flagged: groups.map { Concern("broad-delete", who: $0) }),
        c("rule-excessive-delete-rights-v1/test/clusterrole-rolebinding", .detects, flagged: [Concern("broad-delete", who: jane)]),
        c("rule-excessive-delete-rights-v1/test/role-rolebinding", .detects, flagged: [Concern("broad-delete", who: jane)]),
        c("rule-list-all-cluster-admins-v1/test/clusterrole-clusterrolebinding", .detects,
          flagged: groups.map { Concern("full-authority", who: $0) }),
        // Administrators of kube-system (its core resources, or everything in it).
        c("rule-list-all-cluster-admins-v1/test/clusterrole-rolebinding", .detects,
          flagged: [Concern("namespace-administrator", who: jane, about: "kube-system")]),
        c("rule-list-all-cluster-admins-v1/test/role-rolebinding", .detects,
          flagged: [Concern("namespace-administrator", who: jane, about: "kube-system")]),
        // C-0034 service account token mount. Pods of the default service account, which holds
        // nothing: the token is unused (another concern), not dangerous.
        c("serviceaccount-token-mount/test/both-mount-default", .passes,
          flagged: [Concern("automount-unused-token", who: "Pod/default/test-pd")],
          quiet: [Concern("workload-dangerous-identity")]),
        c("serviceaccount-token-mount/test/both-mount", .passes,
          flagged: [Concern("automount-unused-token", who: "Pod/default/test-pd")],
          quiet: [Concern("workload-dangerous-identity")]),
        // The service account is bound to a role that does not exist: the token grants nothing
        // (yet); the dangling binding is what to fix.
        c("serviceaccount-token-mount/test/pod-mount-and-rb-bind", .detects,
          flagged: [Concern("missing-role", who: "RoleBinding/default/my-role-binding")],
          quiet: [Concern("workload-dangerous-identity"), Concern("automount-unused-token")]),
        c("serviceaccount-token-mount/test/pod-mount", .passes,
          flagged: [Concern("automount-unused-token", who: "Pod/default/test-pd")],
          quiet: [Concern("workload-dangerous-identity")]),
        // The pod turns automount off.
        c("serviceaccount-token-mount/test/sa-mount", .passes,
          quiet: [Concern("automount-unused-token"), Concern("workload-dangerous-identity")]),
        // `nodes/*` and `pods/*` are literals: everyone may read nodes, namespaces and pods,
        // which is no takeover.
        c("system-authenticated-allowed-to-take-over-cluster/test/fail", .wrong,
          flagged: [Concern("public-binding", who: "ClusterRoleBinding/system:viewer", about: "read-only")],
          quiet: [Concern("public-binding", above: .low)]),
        c("system-authenticated-allowed-to-take-over-cluster/test/success", .passes,
          flagged: [Concern("public-binding", who: "ClusterRoleBinding/system:viewer", about: "read-only")],
          quiet: [Concern("public-binding", above: .low)]),
        // Workloads running with powerful tokens.
        c("workload-with-administrative-roles/test/fail-wl-creates-pod", .detects,
          flagged: [Concern("workload-dangerous-identity", who: "Pod/default/test-pd")]),
        // Secret reads and get nodes/proxy (the kubelet API), named as such; full authority only
        // if a node runs control-plane pods, which the input does not show (kubescape's control
        // asks for administrators only).
        c("workload-with-administrative-roles/test/pass-wl-limited-permissions", .passes,
          flagged: [Concern("workload-dangerous-identity", who: "Pod/default/test-pd", about: "can read secrets")],
          quiet: [Concern("workload-dangerous-identity", about: "can escalate to full authority"), Concern("workload-dangerous-identity", above: .high)]),
        c("workload-with-administrative-roles/test/pass-wl-not-mount-sa-token", .passes,
          quiet: [Concern("workload-dangerous-identity")]),
        c("workload-with-administrative-roles/test/pass-wl-rolebinding", .passes,
          quiet: [Concern("workload-dangerous-identity")]),
        c("workload-with-cluster-takeover-roles/test/fail-wl-creates-pod", .detects,
          flagged: [Concern("workload-dangerous-identity", who: "Pod/default/test-pd", about: "pod-create")]),
        c("workload-with-cluster-takeover-roles/test/fail-wl-gets-secrets", .detects,
          flagged: [Concern("workload-dangerous-identity", who: "Pod/default/test-pd", about: "can read secrets")]),
        c("workload-with-cluster-takeover-roles/test/pass-wl-limited-permissions", .passes,
          quiet: [Concern("workload-dangerous-identity")]),
        c("workload-with-cluster-takeover-roles/test/pass-wl-not-mount-sa-token", .passes,
          quiet: [Concern("workload-dangerous-identity")]),
        c("workload-with-cluster-takeover-roles/test/pass-wl-rolebinding", .passes,
          quiet: [Concern("workload-dangerous-identity")]),
    ]

    /// Whether a finding is about `who`: its principal, its object, or a subject of the
    /// binding it is located at.
    static func concerns(_ f: Finding, _ who: String, _ ctx: ReportContext) -> Bool {
        if f.principal == who || f.object.description == who { return true }
        guard let b = ctx.graph.bindings.first(where: { ObjectRef($0).description == f.object.description }) else { return false }
        return ctx.principals(of: b).contains(who)
    }

    static func matches(_ f: Finding, _ c: Concern, _ ctx: ReportContext) -> Bool {
        c.rules.contains(f.ruleID) && (c.who.map { concerns(f, $0, ctx) } ?? true)
            && (c.about.map { f.message.contains($0) } ?? true) && (c.above.map { f.severity > $0 } ?? true)
    }

    @Test("each case", .enabled(if: present, "../shared/corpus is absent"), arguments: cases)
    func eachCase(_ k: Case) throws {
        let dir = Self.root.appendingPathComponent(k.path)
        try #require(Repository.isDirectory(dir), "\(k.path) is missing from the corpus")
        let result = try ManifestLoader().load(paths: [dir.path])
        let ctx = ReportContext(graph: AccessGraph(result.cluster))
        let findings = FindingEngine.run(ctx)
        let listing = findings.map { "\($0.ruleID) [\($0.severity)] \($0.message)" }.joined(separator: "\n")
        for c in k.flagged {
            #expect(findings.contains { Self.matches($0, c, ctx) }, "\(k.path): expected \(c); found:\n\(listing)")
        }
        for c in k.quiet {
            let hits = findings.filter { Self.matches($0, c, ctx) }
            #expect(hits.isEmpty, "\(k.path): expected quiet on \(c); found: \(hits.map(\.message))")
        }
        // Each case says something: a detection, or what it must not report.
        #expect(!(k.flagged.isEmpty && k.quiet.isEmpty))
        if k.kubescape == .detects { #expect(!k.flagged.isEmpty, "a real detection must be flagged") }
    }

    @Test("every case of the corpus folder is in the table", .enabled(if: present, "../shared/corpus is absent"))
    func complete() throws {
        let fm = FileManager.default
        var onDisk: [String] = []
        for rule in try fm.contentsOfDirectory(atPath: Self.root.path) {
            let tests = Self.root.appendingPathComponent(rule).appendingPathComponent("test")
            guard Repository.isDirectory(tests) else { continue }
            for c in try fm.contentsOfDirectory(atPath: tests.path) { onDisk.append("\(rule)/test/\(c)") }
        }
        #expect(Set(onDisk) == Set(Self.cases.map(\.path)))
    }
}
