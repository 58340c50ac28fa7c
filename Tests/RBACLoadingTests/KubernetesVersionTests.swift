import RBACCore
import RBACLoading
import Testing

/// Before Kubernetes 1.35 a WebSocket upgrade (a GET) opens pods/exec, pods/attach and
/// pods/portforward with `get` alone; from 1.35 both ask for `create`. The version is the
/// built-in policy's in use (`--kubernetes-version`); unknown without one.
@Suite("Kubernetes version: get on pod streams")
struct KubernetesVersionTests {
    static let world = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: streams, namespace: kube-system}
        rules: [{apiGroups: [""], resources: [pods/portforward, pods/exec], verbs: [get]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: jane, namespace: kube-system}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: streams}
        subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
        """

    static func graph(_ version: String?) -> AccessGraph {
        var cluster = load(world).cluster
        cluster.kubernetesVersion = version
        return AccessGraph(cluster)
    }

    @Test(
        "port-forward: get counts before 1.35, not from 1.35, conditionally when unknown",
        arguments: [
            ("v1.24.0-alpha.1", Severity.high, "can port-forward into every pod in kube-system"),
            ("v1.34.2", .high, "can port-forward into every pod in kube-system"),
            ("v1.35.0", nil, ""),
            ("1.36", nil, ""),
            (nil, .low, "if the cluster runs Kubernetes before 1.35 (the version is unknown)"),
        ] as [(String?, Severity?, String)])
    func portForward(_ version: String?, _ severity: Severity?, _ says: String) {
        let found = FindingRule.portForward.findings(in: ReportContext(graph: Self.graph(version)))
        #expect(found.map(\.severity) == (severity.map { [$0] } ?? []))
        #expect(found.allSatisfy { $0.message.contains(says) })
    }

    @Test(
        "pod-exec step: get counts before 1.35, not from 1.35, conditionally when unknown",
        arguments: [
            ("v1.24.0-alpha.1", true, true), ("v1.35.0", false, true), (nil, true, false),
        ] as [(String?, Bool, Bool)])
    func podExec(_ version: String?, _ step: Bool, _ certain: Bool) throws {
        let esc = EscalationGraph(Self.graph(version))
        let jane = try #require(esc.index(of: .user("jane")))
        let exec = esc.edges(from: jane).filter { $0.kind == .podExec }
        #expect(exec.isEmpty == !step)
        if step {
            #expect(exec.allSatisfy { $0.isCertain == certain })
            #expect(certain || exec.allSatisfy { $0.condition?.text.contains("before 1.35") == true })
        }
    }

    @Test("the version merged with the built-in policy is the one assumed")
    func merged() throws {
        var cluster = load(Self.world).cluster
        #expect(cluster.kubernetesVersion == nil)
        cluster.mergeBuiltinPolicy(try BuiltinPolicy.shipped("v1.24.0-alpha.1"))
        #expect(AccessGraph(cluster).kubernetesVersion == "v1.24.0-alpha.1")
    }
}

/// `escalation-grant`: one digest per identity and kind by default, each scope with `detail`.
@Suite("escalation-grant: digest and detail")
struct EscalationGrantDigestTests {
    static let world = ["dev", "prod", "stage"].map { ns in
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: ci, namespace: \(ns)}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pod-maker}
        subjects: [{kind: User, name: ci, apiGroup: rbac.authorization.k8s.io}]
        """
    }.joined(separator: "\n---\n") + """

        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: pod-maker}
        rules: [{apiGroups: [""], resources: [pods], verbs: [create]}]
        """

    @Test("three namespaces: one digest naming them, or three findings with detail")
    func digest() {
        let graph = AccessGraph(load(Self.world).cluster)
        let digest = FindingRule.escalationGrant.findings(in: ReportContext(graph: graph))
        #expect(digest.count == 1)
        #expect(digest.first?.message == "user:ci can pod-create in 3 scopes: in dev, in prod, in stage (report --detail lists each)")
        #expect(digest.first?.evidence.count == 3)
        let related = Set(digest.first?.related.map(\.description) ?? [])
        #expect(related.isSuperset(of: ["RoleBinding/dev/ci", "RoleBinding/prod/ci", "RoleBinding/stage/ci"]))
        let detail = FindingRule.escalationGrant.findings(in: ReportContext(graph: graph, detail: true))
        #expect(detail.map(\.message) == ["dev", "prod", "stage"].map { "user:ci can pod-create in \($0) → run pods in \($0)" })
    }
}

/// `automount-unused-token`: one finding per service account, its workloads related.
@Suite("automount-unused-token: one finding per service account")
struct AutomountDigestTests {
    @Test("two pods of one service account that holds nothing: one finding naming both")
    func twoPods() {
        let yaml = ["a", "b"].map { name in
            """
            apiVersion: v1
            kind: Pod
            metadata: {name: \(name), namespace: web}
            spec:
              containers: [{name: app, image: web}]
            """
        }.joined(separator: "\n---\n")
        let found = FindingRule.automountUnusedToken.findings(in: ReportContext(graph: AccessGraph(load(yaml).cluster)))
        #expect(found.map(\.message) == ["sa:web/default holds no permissions but 2 pods and workloads of web mount its token: Pod a, Pod b"])
        #expect(found.first?.object.description == "Pod/web/a")
        #expect(found.first?.related.map(\.description) == ["Pod/web/b"])
    }
}
