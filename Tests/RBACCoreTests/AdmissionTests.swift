// The API server's admission of RBAC writes (Kubernetes `pkg/registry/rbac/*/policybased`):
// may this identity create or update this binding or role? Bindings are also checked against
// the create-binding conformance suite (2,248 answers of the real code); roles have no suite,
// so these tables follow the Kubernetes source and its unit tests case by case.

import RBACCore
import Testing

private let rbac = "rbac.authorization.k8s.io"

/// Rules on the RBAC kinds.
private func rbacRule(_ verbs: [String], _ resources: [String], names: [String] = []) -> PolicyRule {
    rule(verbs, groups: [rbac], resources: resources, names: names)
}

private let podReader = rule(["get", "list"], resources: ["pods"])
private let secretReader = rule(["get"], resources: ["secrets"])

/// The world every case below is asked in.
///
/// - `writer`: may create and update roles and bindings in `dev`, and holds `podReader` there.
/// - `escalator`: like writer, plus `escalate` on roles in `dev`.
/// - `named-escalator`: `escalate` only on the Role named `r` in `dev`.
/// - `binder`: like writer, plus `bind` on the ClusterRole `secret-reader` in `dev`.
/// - `cluster-writer`: may create cluster roles and cluster role bindings; holds podReader
///   cluster-wide.
/// - `admin`: `*` on `*.*` and on non-resource `*` cluster-wide (cluster-admin).
/// - `admin-no-urls`: `*` on `*.*` cluster-wide, but no non-resource URLs.
/// - `reader`: holds podReader in `dev` but may write nothing.
private let world: AccessGraph = {
    let write = rbacRule(["create", "update", "patch"], ["roles", "rolebindings"])
    let clusterWrite = rbacRule(["create", "update", "patch"], ["clusterroles", "clusterrolebindings"])
    return AccessGraph(
        roles: [
            clusterRole("pod-reader", [podReader]),
            clusterRole("secret-reader", [secretReader]),
            clusterRole("writer", [write]),
            clusterRole("cluster-writer", [clusterWrite]),
            clusterRole("escalate-roles", [rbacRule(["escalate"], ["roles"])]),
            clusterRole("escalate-r", [rbacRule(["escalate"], ["roles"], names: ["r"])]),
            clusterRole("bind-secret-reader", [rbacRule(["bind"], ["clusterroles"], names: ["secret-reader"])]),
            clusterRole("cluster-admin", [rule(["*"], groups: ["*"], resources: ["*"]), urlRule(["*"], ["*"])]),
            clusterRole("admin-no-urls", [rule(["*"], groups: ["*"], resources: ["*"])]),
            role("dev", "dev-pods", [podReader]),
        ],
        bindings: [
            roleBinding("dev", "w", to: "writer", kind: "ClusterRole",
                        [.user("writer"), .user("escalator"), .user("named-escalator"), .user("binder")]),
            roleBinding("dev", "p", to: "pod-reader", kind: "ClusterRole",
                        [.user("writer"), .user("escalator"), .user("named-escalator"), .user("binder"), .user("reader")]),
            roleBinding("dev", "e", to: "escalate-roles", kind: "ClusterRole", [.user("escalator")]),
            roleBinding("dev", "en", to: "escalate-r", kind: "ClusterRole", [.user("named-escalator")]),
            roleBinding("dev", "b", to: "bind-secret-reader", kind: "ClusterRole", [.user("binder")]),
            clusterRoleBinding("cw", to: "cluster-writer", [.user("cluster-writer"), .user("admin"), .user("admin-no-urls")]),
            clusterRoleBinding("cp", to: "pod-reader", [.user("cluster-writer")]),
            clusterRoleBinding("ca", to: "cluster-admin", [.user("admin")]),
            clusterRoleBinding("an", to: "admin-no-urls", [.user("admin-no-urls")]),
        ])
}()

private func user(_ name: String) -> Identity { .authenticatedUser(name) }

private func newRole(_ rules: [PolicyRule], name: String = "r") -> Admission.Object {
    .role(role("dev", name, rules))
}

private func newClusterRole(_ rules: [PolicyRule], aggregating: Bool = false) -> Admission.Object {
    .role(clusterRole("cr", rules, aggregating: aggregating ? [LabelSelector(matchLabels: [(key: "a", value: "b")])] : nil))
}

private func newRoleBinding(to name: String, kind: String = "ClusterRole", ns: String = "dev") -> Admission.Object {
    .binding(roleBinding(ns, "new", to: name, kind: kind, [.user("target")]))
}

@Suite("Admission of RBAC writes: bind and escalate, as the API server checks them")
struct AdmissionTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var who: String
        var object: Admission.Object
        var verb: Admission.WriteVerb = .create
        var existing: Admission.Object? = nil
        var allowed: Bool
        var testDescription: String { name }
    }

    static let roleCases: [Case] = [
        Case(name: "a Role with rules the writer holds in its namespace", who: "writer",
             object: newRole([rule(["get"], resources: ["pods"])]), allowed: true),
        Case(name: "a Role granting more than the writer holds", who: "writer",
             object: newRole([secretReader]), allowed: false),
        Case(name: "escalate on roles lets any rules through", who: "escalator",
             object: newRole([secretReader, rule(["*"], groups: ["*"], resources: ["*"])]), allowed: true),
        Case(name: "escalate limited to a name does not cover create (create requests carry no name)",
             who: "named-escalator", object: newRole([secretReader]), allowed: false),
        Case(name: "escalate limited to a name covers the update of that object", who: "named-escalator",
             object: newRole([secretReader]), verb: .update, allowed: true),
        Case(name: "escalate limited to a name does not cover another object's update", who: "named-escalator",
             object: newRole([secretReader], name: "other"), verb: .update, allowed: false),
        Case(name: "holding the rules does not help without create on roles", who: "reader",
             object: newRole([podReader]), allowed: false),
        Case(name: "system:masters skips the escalation check (RBAC still has no say: masters may write)",
             who: "masters", object: newRole([secretReader]), allowed: true),
        Case(name: "rules held only in another namespace do not count", who: "writer",
             object: .role(role("prod", "r", [podReader])), allowed: false),
        Case(name: "a ClusterRole with cluster-wide rules held cluster-wide", who: "cluster-writer",
             object: newClusterRole([podReader]), allowed: true),
        Case(name: "a ClusterRole with an aggregationRule needs full authority", who: "cluster-writer",
             object: newClusterRole([], aggregating: true), allowed: false),
        Case(name: "an aggregationRule and cluster-admin", who: "admin",
             object: newClusterRole([], aggregating: true), allowed: true),
        // Full authority needs `*` verbs, which include `escalate`: without non-resource `*` the
        // writer still passes, through `escalate`, before the full-authority check is reached.
        Case(name: "`*` on `*.*` allows escalate, which admits an aggregationRule", who: "admin-no-urls",
             object: newClusterRole([], aggregating: true), allowed: true),
        Case(name: "updating a ClusterRole whose stored version aggregates needs full authority too",
             who: "cluster-writer", object: newClusterRole([podReader]), verb: .update,
             existing: newClusterRole([], aggregating: true), allowed: false),
    ]

    static let bindingCases: [Case] = [
        Case(name: "a RoleBinding to a ClusterRole whose rules the writer holds in the namespace", who: "writer",
             object: newRoleBinding(to: "pod-reader"), allowed: true),
        Case(name: "a RoleBinding to a Role of the namespace whose rules the writer holds", who: "writer",
             object: newRoleBinding(to: "dev-pods", kind: "Role"), allowed: true),
        Case(name: "a RoleBinding granting what the writer lacks", who: "writer",
             object: newRoleBinding(to: "secret-reader"), allowed: false),
        Case(name: "bind on the ClusterRole by name lets it through", who: "binder",
             object: newRoleBinding(to: "secret-reader"), allowed: true),
        Case(name: "bind is asked in the binding's namespace", who: "binder",
             object: newRoleBinding(to: "secret-reader", ns: "prod"), allowed: false),
        Case(name: "a missing role is refused unless bind allows it", who: "writer",
             object: newRoleBinding(to: "no-such-role"), allowed: false),
        Case(name: "a roleRef kind other than Role or ClusterRole is refused", who: "writer",
             object: newRoleBinding(to: "pod-reader", kind: "Group"), allowed: false),
        Case(name: "an update may not change the roleRef, whatever the permissions", who: "masters",
             object: newRoleBinding(to: "pod-reader"), verb: .update,
             existing: newRoleBinding(to: "secret-reader"), allowed: false),
        Case(name: "an update that keeps the roleRef is checked like a create", who: "writer",
             object: newRoleBinding(to: "pod-reader"), verb: .update,
             existing: newRoleBinding(to: "pod-reader"), allowed: true),
    ]

    private static func identity(_ who: String) -> Identity {
        who == "masters" ? Identity(name: "root", groups: [Identity.mastersGroup]) : user(who)
    }

    @Test("Roles and ClusterRoles", arguments: roleCases)
    func roles(_ c: Case) {
        let verdict = world.admission(of: c.object, by: Self.identity(c.who), verb: c.verb, existing: c.existing)
        #expect(verdict.allowed == c.allowed, "\(verdict)")
    }

    @Test("RoleBindings", arguments: bindingCases)
    func bindings(_ c: Case) {
        let verdict = world.admission(of: c.object, by: Self.identity(c.who), verb: c.verb, existing: c.existing)
        #expect(verdict.allowed == c.allowed, "\(verdict)")
    }

    @Test("a refusal names the check that failed and the rules not held")
    func explanation() {
        let denied = world.admission(of: newRoleBinding(to: "secret-reader"), by: user("writer"))
        #expect(denied.write.allowed)
        guard case .rulesNotHeld(let missing, let asked, _) = denied.escalation else {
            Issue.record("expected rulesNotHeld, got \(denied.escalation)")
            return
        }
        #expect(missing == [PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["secrets"])])
        #expect(asked == ResourceRequest(verb: "bind", apiGroup: rbac, resource: "clusterroles", namespace: "dev", name: "secret-reader"))

        let noWrite = world.admission(of: newRole([podReader]), by: user("reader"))
        #expect(!noWrite.write.allowed)
        #expect(noWrite.escalation == .rulesHeld(ruleCount: 1))
        #expect(noWrite.writeRequest == ResourceRequest(verb: "create", apiGroup: rbac, resource: "roles", namespace: "dev"))

        let aggregating = world.admission(of: newClusterRole([], aggregating: true), by: user("cluster-writer"))
        guard case .aggregationNeedsFullAuthority(let lacking) = aggregating.escalation else {
            Issue.record("expected aggregationNeedsFullAuthority, got \(aggregating.escalation)")
            return
        }
        #expect(lacking.count == 2)

        let bound = world.admission(of: newRoleBinding(to: "secret-reader"), by: user("binder"))
        guard case .bindAllowed(_, let decision) = bound.escalation else {
            Issue.record("expected bindAllowed, got \(bound.escalation)")
            return
        }
        #expect(decision.grant.map { world.bindings[$0.binding].name } == "b")
    }
}

@Suite("can-i apply: every object of a manifest, as kubectl apply writes it")
struct ApplyCheckTests {
    /// The objects of a pull request: a binding `w` that exists (patch), a new one, a Role, a
    /// Deployment, a ServiceAccount and a Namespace, written in this order.
    static let objects = Cluster(
        roles: [Role(kind: .role, name: "new-role", namespace: "dev", rules: [secretReader], source: SourceLocation(file: "pr.yaml", line: 10, column: 1))],
        bindings: [
            Binding(kind: .roleBinding, name: "p", namespace: "dev", roleRef: RoleRef(kind: "ClusterRole", name: "pod-reader"),
                    subjects: [.user("writer")], source: SourceLocation(file: "pr.yaml", line: 1, column: 1)),
            Binding(kind: .roleBinding, name: "fresh", namespace: "dev", roleRef: RoleRef(kind: "ClusterRole", name: "secret-reader"),
                    subjects: [.user("x")], source: SourceLocation(file: "pr.yaml", line: 5, column: 1)),
        ],
        serviceAccounts: [ServiceAccount(namespace: "dev", name: "api", source: SourceLocation(file: "pr.yaml", line: 30, column: 1))],
        namespaces: [Namespace(name: "dev", source: SourceLocation(file: "pr.yaml", line: 40, column: 1))],
        workloads: [Workload(kind: "Deployment", namespace: "dev", name: "web", template: PodTemplate(serviceAccountName: "api"),
                             source: SourceLocation(file: "pr.yaml", line: 20, column: 1))])

    @Test("objects in file order, patch for what exists, create for the rest, each with its check")
    func checks() {
        let checks = world.applyChecks(of: Self.objects, by: .authenticatedUser("writer"))
        #expect(checks.map(\.displayName) == [
            "RoleBinding dev/p", "RoleBinding dev/fresh", "Role dev/new-role", "Deployment dev/web", "ServiceAccount dev/api",
            "Namespace dev",
        ])
        #expect(checks.map(\.exists) == [true, false, false, false, false, false])
        // p keeps its roleRef (pod-reader, held): admitted as a patch; fresh and new-role grant
        // secrets the writer does not hold; the writer may not write deployments, service
        // accounts or namespaces at all.
        #expect(checks.map(\.allowed) == [true, false, false, false, false, false])
        guard case .admission(let p) = checks[0].outcome else { Issue.record("p: \(checks[0].outcome)"); return }
        #expect(p.verb == .patch)
        #expect(p.writeRequest.name == "p")
        guard case .authorization(let request, _) = checks[3].outcome else { Issue.record("web: \(checks[3].outcome)"); return }
        #expect(request == ResourceRequest(verb: "create", apiGroup: "apps", resource: "deployments", namespace: "dev"))
        guard case .authorization(let nsRequest, _) = checks[5].outcome else { Issue.record("dev: \(checks[5].outcome)"); return }
        #expect(nsRequest == ResourceRequest(verb: "create", resource: "namespaces"))
    }

    @Test("cluster-admin may apply all of it")
    func admin() {
        let checks = world.applyChecks(of: Self.objects, by: .authenticatedUser("admin"))
        #expect(checks.count == 6)
        #expect(checks.allSatisfy { $0.allowed })
    }
}
