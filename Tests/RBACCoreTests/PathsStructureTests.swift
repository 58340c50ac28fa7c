// The structural steps of the escalation graph: who is in which group, what system:masters
// is, and the fan-out steps that connect "run pods in a namespace" to the service accounts and
// secrets there. They carry no RBAC evidence.

import RBACCore
import Testing

@Suite("Privilege paths: membership and structural steps")
struct PathsStructureTests {
    /// The steps leaving `node`, as `kind→target`, sorted.
    static func out(_ esc: EscalationGraph, _ node: PathNode) -> [String] {
        esc.steps(from: node).map { "\($0.kind.rawValue)→\(esc.nodes[$0.to])" }.sorted()
    }

    @Test("a service account is in its three groups, and nothing else without grants")
    func serviceAccountGroups() {
        let esc = escalation([], [], serviceAccounts: [ServiceAccount(namespace: "dev", name: "api")])
        let sa = PathNode.serviceAccount(namespace: "dev", name: "api")
        #expect(Self.out(esc, sa) == [
            "member-of→group:system:serviceaccounts",
            "member-of→group:system:serviceaccounts:dev",
            "public-binding→group:system:authenticated",
        ])
        #expect(esc.steps(from: sa).allSatisfy { $0.isCertain && $0.evidence.isEmpty })
    }

    @Test("every authenticated user is in system:authenticated; the anonymous user in system:unauthenticated")
    func userGroups() {
        let esc = escalation([], [clusterRoleBinding("b", to: "missing", [.user("alice"), .user("system:anonymous")])])
        #expect(Self.out(esc, .user("alice")) == ["public-binding→group:system:authenticated"])
        #expect(Self.out(esc, .user("system:anonymous")) == ["public-binding→group:system:unauthenticated"])
        // Members of any group but system:unauthenticated have logged in.
        let withGroup = escalation([], [clusterRoleBinding("b", to: "missing", [.group("devs")])])
        #expect(withGroup.step(.group("devs"), .publicBinding, .group("system:authenticated")) != nil)
        #expect(withGroup.step(.group("system:unauthenticated"), .publicBinding, .group("system:authenticated")) == nil)
    }

    @Test("system:masters is full authority, certain, with no RBAC grant behind it")
    func systemMasters() throws {
        let esc = escalation([], [])
        let step = try #require(esc.step(.group("system:masters"), .systemMasters, .fullAuthority))
        #expect(step.isCertain)
        #expect(step.evidence.isEmpty)
        #expect(esc.reaching(.fullAuthority) == ["group:system:masters": true])
    }

    /// A grant to a group reaches its members through the group: one path, no copied step.
    @Test("what a group is granted, its members reach through it")
    func throughGroups() {
        let esc = escalation(
            [clusterRole("pod-maker", [rule(["create"], resources: ["pods"])])],
            [clusterRoleBinding("sas", to: "pod-maker", [.group("system:serviceaccounts:dev")])],
            serviceAccounts: [ServiceAccount(namespace: "dev", name: "api"), ServiceAccount(namespace: "prod", name: "web")])
        let api = PathNode.serviceAccount(namespace: "dev", name: "api")
        #expect(esc.kinds(esc.best(api, target("secret:prod/*"))) == [.memberOf, .podCreate, .mountSecrets])
        #expect(esc.steps(from: api, .podCreate).isEmpty)
        #expect(esc.best(.serviceAccount(namespace: "prod", name: "web"), target("secret:prod/*")) == nil)
    }

    @Test("public-binding: a grant to system:authenticated is held by every user and service account")
    func authenticatedGrant() throws {
        let esc = escalation(
            [clusterRole("secret-lister", [rule(["list"], resources: ["secrets"])])],
            [
                clusterRoleBinding("oops", to: "secret-lister", [.group("system:authenticated")]),
                clusterRoleBinding("named", to: "missing", [.user("alice"), .user("system:anonymous")]),
            ],
            serviceAccounts: [ServiceAccount(namespace: "dev", name: "api")])
        for who in [PathNode.user("alice"), .serviceAccount(namespace: "dev", name: "api")] {
            // Listing secrets cluster-wide reads those of every namespace, kube-system's included.
            let path = try #require(esc.best(who, target("secret:kube-system/*")))
            #expect(esc.trail(path) == ["public-binding→group:system:authenticated", "secrets-read→secret:*/*"], "\(who)")
            #expect(path.isCertain)
            #expect(esc.because(path.steps[1]) == ["ClusterRoleBinding/oops → ClusterRole/secret-lister rule 0: list secrets"])
        }
        // The anonymous user has not logged in.
        #expect(esc.best(.user("system:anonymous"), target("secret:kube-system/*")) == nil)
    }

    /// Anyone can send a request without credentials: what the anonymous user or the
    /// system:unauthenticated group is granted, every identity holds.
    @Test("public-binding: a grant to system:unauthenticated or system:anonymous is held by everybody")
    func unauthenticatedGrant() throws {
        for subject in [Subject.group("system:unauthenticated"), .user("system:anonymous")] {
            let esc = escalation(
                [clusterRole("secret-lister", [rule(["list"], resources: ["secrets"])])],
                [clusterRoleBinding("oops", to: "secret-lister", [subject]), clusterRoleBinding("named", to: "missing", [.user("alice")])],
                serviceAccounts: [ServiceAccount(namespace: "dev", name: "api")])
            for who in [PathNode.user("system:anonymous"), .user("alice"), .serviceAccount(namespace: "dev", name: "api")] {
                let path = try #require(esc.best(who, target("secret:dev/*")), "\(subject) → \(who)")
                #expect(path.isCertain)
                #expect(path.steps.dropLast().allSatisfy { $0.kind == .publicBinding }, "\(esc.trail(path))")
                #expect(path.steps.last?.kind == .secretsRead)
            }
        }
    }

    @Test("running pods in a namespace: every service account and every secret of it")
    func runPodsFanOut() {
        let esc = escalation(
            [role("dev", "pod-maker", [rule(["create"], resources: ["pods"])])],
            [roleBinding("dev", "ci", to: "pod-maker", kind: "Role", [.user("alice")])],
            serviceAccounts: [ServiceAccount(namespace: "dev", name: "deployer")],
            secrets: [SecretMetadata(namespace: "dev", name: "db-pass")])
        #expect(esc.trail(esc.best(aliceNode, target("sa:dev/deployer"))) == [
            "pod-create→run-pods:dev", "run-as→sa:dev/*", "each-service-account→sa:dev/deployer",
        ])
        #expect(esc.trail(esc.best(aliceNode, target("secret:dev/db-pass"))) == ["pod-create→run-pods:dev", "mount-secrets→secret:dev/*"])
        // Every namespace has a default service account.
        #expect(esc.best(aliceNode, target("sa:dev/default"))?.isCertain == true)
    }

    @Test("a legacy token secret in the input yields its service account, certainly")
    func legacyTokenSecret() throws {
        let esc = escalation(
            [role("dev", "reader", [rule(["list"], resources: ["secrets"])])],
            [roleBinding("dev", "read", to: "reader", kind: "Role", [.user("alice")])],
            secrets: [tokenSecret("dev", "builder-token", for: "builder")])
        let path = try #require(esc.best(aliceNode, target("sa:dev/builder")))
        #expect(esc.trail(path) == [
            "secrets-read→secret:dev/*", "contains-secret→secret:dev/builder-token", "read-token→sa:dev/builder",
        ])
        #expect(path.isCertain)
        // The secret names the service account: it exists, and is in its groups.
        #expect(esc.steps(from: .serviceAccount(namespace: "dev", name: "builder"), .memberOf).count == 2)
    }

    @Test(
        "without a legacy token secret in the input, reading secrets yields service accounts only conditionally",
        arguments: [
            ([SecretMetadata](), nil as Bool?),  // no secrets loaded: the input does not tell
            ([SecretMetadata(namespace: "dev", name: "db-pass")], false),  // secrets loaded, none is a token
        ])
    func noLegacyTokenSecret(secrets: [SecretMetadata], observed: Bool?) throws {
        let esc = escalation(
            [role("dev", "reader", [rule(["list"], resources: ["secrets"])])],
            [roleBinding("dev", "read", to: "reader", kind: "Role", [.user("alice")])],
            serviceAccounts: [ServiceAccount(namespace: "dev", name: "builder")], secrets: secrets)
        let path = try #require(esc.best(aliceNode, target("sa:dev/builder")))
        #expect(esc.kinds(path) == [.secretsRead, .readToken, .eachServiceAccount])
        let condition = try #require(path.steps[1].condition)
        #expect(condition.text == "a legacy service-account token secret exists in dev")
        #expect(condition.observed == observed)
    }

    @Test("a running pod yields its service account; certain when the input shows the pod and its token")
    func runningPodTokens() throws {
        let cluster = { (pods: [Workload]) in
            escalation(
                [role("dev", "exec", [rule(["create"], resources: ["pods/exec"])])],
                [roleBinding("dev", "exec", to: "exec", kind: "Role", [.user("alice")])],
                serviceAccounts: [ServiceAccount(namespace: "dev", name: "api"), ServiceAccount(namespace: "dev", name: "idle")],
                workloads: pods)
        }
        let shown = cluster([pod("dev", "api-0", as: "api")])
        let path = try #require(shown.best(aliceNode, target("sa:dev/api")))
        #expect(shown.trail(path) == ["pod-exec→running-pods:dev", "pod-token→sa:dev/api"])
        #expect(path.isCertain)
        // No pod runs as "idle": no path to it.
        #expect(shown.best(aliceNode, target("sa:dev/idle")) == nil)

        // A pod that does not mount its token.
        let noToken = cluster([pod("dev", "api-0", as: "api", automount: false)])
        let step = try #require(noToken.best(aliceNode, target("sa:dev/api"))?.steps.last)
        #expect(step.condition?.observed == false)

        // No pods in the input: any service account may have one running, the input does not tell.
        let unknown = try #require(cluster([]).best(aliceNode, target("sa:dev/idle")))
        #expect(unknown.steps[1].kind == .podToken)
        #expect(unknown.steps[1].condition?.observed == nil)
    }

    /// Manifests: a Deployment but none of its pods. Its pods run as its template says.
    @Test("running code where the input shows workloads but no pods reaches their service accounts")
    func workloadPods() throws {
        let grant = { (workloads: [Workload]) in
            escalation(
                [role("dev", "exec", [rule(["create"], resources: ["pods/exec"])])],
                [roleBinding("dev", "exec", to: "exec", kind: "Role", [.user("alice")])],
                serviceAccounts: [ServiceAccount(namespace: "dev", name: "api"), ServiceAccount(namespace: "dev", name: "quiet", automountServiceAccountToken: false)],
                workloads: workloads)
        }
        let esc = grant([workload("Deployment", "dev", "web", as: "api"), workload("CronJob", "dev", "report", as: "quiet")])
        let api = try #require(esc.best(aliceNode, target("sa:dev/api")))
        #expect(esc.trail(api) == ["pod-exec→running-pods:dev", "pod-token→sa:dev/api"])
        #expect(api.steps[1].condition?.text == "a pod of Deployment dev/web is running (the input shows the Deployment, not its pods)")
        #expect(api.steps[1].condition?.observed == true)
        // quiet's token is not mounted (its ServiceAccount says so): that way is shown closed,
        // and the one left is the unknown "some pod runs as it".
        let quiet = try #require(esc.best(aliceNode, target("sa:dev/quiet")))
        #expect(quiet.steps[1].condition?.observed == nil)
        let closed = try #require(esc.paths(from: aliceNode, to: target("sa:dev/quiet"), all: true).first { $0.steps.count == 2 })
        #expect(closed.steps[1].condition?.observed == false)
    }

    @Test("running code in a privileged pod holds its node; in a hostPath pod, maybe")
    func podsOnTheirNodes() throws {
        let grant = { (template: PodTemplate) in
            escalation(
                [role("dev", "exec", [rule(["create"], resources: ["pods/attach"])])],
                [roleBinding("dev", "exec", to: "exec", kind: "Role", [.user("alice")])],
                workloads: [Workload(kind: "DaemonSet", namespace: "dev", name: "agent", template: template)])
        }
        let privileged = try #require(grant(PodTemplate(privileged: true)).best(aliceNode, target("cluster-admin")))
        #expect(privileged.steps.map(\.kind) == [.podExec, .privilegedPod, .controlPlaneNode])
        #expect(privileged.steps[1].condition?.text == "a pod of DaemonSet dev/agent is privileged (the input shows it)")
        #expect(privileged.steps[1].condition?.observed == true)

        let hostPath = try #require(grant(PodTemplate(hostPathVolumes: true)).best(aliceNode, target("cluster-admin")))
        #expect(hostPath.steps.map(\.kind) == [.podExec, .privilegedPod, .controlPlaneNode])
        #expect(hostPath.steps[1].condition?.observed == nil)

        // An ordinary pod is no way to its node.
        let plain = grant(PodTemplate())
        #expect(plain.best(aliceNode, target("cluster-admin")) == nil)
    }

    /// (the pod template, the host namespaces the condition names)
    static let hostNamespaces: [(PodTemplate, String)] = [
        (PodTemplate(hostPID: true), "hostPID"),
        (PodTemplate(hostNetwork: true), "hostNetwork"),
        (PodTemplate(hostIPC: true), "hostIPC"),
        (PodTemplate(hostPID: true, hostNetwork: true, hostIPC: true), "hostPID, hostNetwork, hostIPC"),
    ]

    @Test("running code in a pod that shares its node's PID, network or IPC namespace may reach the node", arguments: hostNamespaces)
    func hostNamespacePods(_ template: PodTemplate, _ names: String) throws {
        let esc = escalation(
            [role("dev", "exec", [rule(["create"], resources: ["pods/exec"])])],
            [roleBinding("dev", "exec", to: "exec", kind: "Role", [.user("alice")])],
            workloads: [Workload(kind: "Pod", namespace: "dev", name: "agent", template: template)])
        let path = try #require(esc.best(aliceNode, target("cluster-admin")))
        #expect(path.steps.map(\.kind) == [.podExec, .hostNamespacePod, .controlPlaneNode])
        let condition = try #require(path.steps[1].condition)
        #expect(condition.text == "pod dev/agent shares its node's namespaces (\(names)) and that exposes the node (the input shows the setting, not what the node runs)")
        #expect(condition.observed == nil)
        #expect(path.certainty == .notShown)
    }

    /// (a pod of the input in dev, its node, the steps of alice's best path to cluster-admin,
    /// whether the input shows the pinned step's condition)
    static let pinnedPods: [(PodTemplate, [EscalationKind], Bool?)] = [
        // Privileged on the node the API server runs on: that node's host is the control plane.
        (PodTemplate(nodeName: "cp-1", privileged: true), [.podExec, .controlPlanePod], true),
        (PodTemplate(nodeName: "cp-1", hostNetwork: true), [.podExec, .controlPlanePod], nil),
        (PodTemplate(nodeName: "cp-1", hostPathVolumes: true), [.podExec, .controlPlanePod], nil),
        // On another node, or not pinned: holding a node, then one that runs the control plane.
        (PodTemplate(nodeName: "worker-1", privileged: true), [.podExec, .privilegedPod, .controlPlaneNode], true),
        (PodTemplate(privileged: true), [.podExec, .privilegedPod, .controlPlaneNode], true),
    ]

    @Test("a pod that reaches its node, pinned by nodeName to a control-plane node, holds the control plane", arguments: pinnedPods)
    func pinnedToControlPlaneNode(_ template: PodTemplate, _ kinds: [EscalationKind], _ observed: Bool?) throws {
        let esc = escalation(
            [role("dev", "exec", [rule(["create"], resources: ["pods/exec"])])],
            [roleBinding("dev", "exec", to: "exec", kind: "Role", [.user("alice")])],
            workloads: [
                Workload(kind: "Pod", namespace: "dev", name: "agent", template: template),
                Workload(kind: "Pod", namespace: "kube-system", name: "kube-apiserver-cp-1", template: PodTemplate(nodeName: "cp-1")),
            ])
        let path = try #require(esc.best(aliceNode, target("cluster-admin")))
        #expect(path.steps.map(\.kind) == kinds)
        #expect(path.steps[1].condition?.observed == observed)
        if kinds.contains(.controlPlanePod) {
            #expect(path.steps[1].condition?.text.hasPrefix(
                "pod dev/agent runs on node cp-1 (spec.nodeName), as the control-plane pod kube-system/kube-apiserver-cp-1 does, and ") == true)
        }
    }

    @Test("a pinned pod that does not reach its node is no way to the control plane")
    func pinnedButPlain() {
        let esc = escalation(
            [role("dev", "exec", [rule(["create"], resources: ["pods/exec"])])],
            [roleBinding("dev", "exec", to: "exec", kind: "Role", [.user("alice")])],
            workloads: [
                Workload(kind: "Pod", namespace: "dev", name: "agent", template: PodTemplate(nodeName: "cp-1")),
                Workload(kind: "Pod", namespace: "kube-system", name: "etcd-cp-1", template: PodTemplate(nodeName: "cp-1")),
            ])
        #expect(esc.best(aliceNode, target("cluster-admin")) == nil)
    }

    @Test("a privileged pod is the way to its node before a host-namespace one")
    func privilegedBeforeHostNamespace() throws {
        let esc = escalation(
            [role("dev", "exec", [rule(["create"], resources: ["pods/exec"])])],
            [roleBinding("dev", "exec", to: "exec", kind: "Role", [.user("alice")])],
            workloads: [
                Workload(kind: "Pod", namespace: "dev", name: "net", template: PodTemplate(hostNetwork: true)),
                Workload(kind: "Pod", namespace: "dev", name: "root", template: PodTemplate(privileged: true)),
            ])
        let path = try #require(esc.best(aliceNode, target("cluster-admin")))
        #expect(path.steps.map(\.kind) == [.podExec, .privilegedPod, .controlPlaneNode])
        // Both ways are there.
        #expect(esc.step(.runningPods(in: .namespace("dev")), .hostNamespacePod, .nodes) != nil)
    }

    @Test("an existing workload's pod template runs pods in its namespace; certain only when the input shows it")
    func workloadTemplates() throws {
        let grant = { (workloads: [Workload]) in
            escalation(
                [role("dev", "deployer", [rule(["patch"], groups: ["apps"], resources: ["deployments"])])],
                [roleBinding("dev", "ci", to: "deployer", kind: "Role", [.user("alice")])],
                serviceAccounts: [ServiceAccount(namespace: "dev", name: "admin")], workloads: workloads)
        }
        let shown = try #require(grant([workload("Deployment", "dev", "web")]).best(aliceNode, target("sa:dev/admin")))
        #expect(shown.steps.map(\.kind) == [.workloadUpdate, .podTemplate, .runAs, .eachServiceAccount])
        #expect(shown.isCertain)

        let unknown = try #require(grant([]).best(aliceNode, target("sa:dev/admin")))
        #expect(unknown.steps[1].condition?.text == "a Deployment exists in dev (the input has no workloads)")

        // Workloads in the input, but no Deployment in dev: nothing to patch.
        #expect(grant([workload("StatefulSet", "dev", "db")]).best(aliceNode, target("sa:dev/admin")) == nil)
    }

    @Test("controlling nodes is conditional on what runs there; control-plane pods in the input show it")
    func nodes() throws {
        let proxy = [clusterRole("proxy", [rule(["get"], resources: ["nodes/proxy"])])]
        let bindings = [clusterRoleBinding("proxy", to: "proxy", [.user("alice")])]
        let unknown = try #require(escalation(proxy, bindings).best(aliceNode, .fullAuthority))
        #expect(unknown.steps.map(\.kind) == [.nodeProxy, .controlPlaneNode])
        #expect(unknown.steps[1].condition?.observed == nil)

        let shown = try #require(escalation(proxy, bindings, workloads: [pod("kube-system", "kube-apiserver-cp1")]).best(aliceNode, .fullAuthority))
        #expect(shown.steps[1].condition?.observed == true)
        #expect(shown.steps[1].condition?.text.contains("kube-system/kube-apiserver-cp1") == true)
    }

    @Test("privileged pods: Pod Security labels in the input decide what is shown")
    func podSecurity() throws {
        let cluster = { (labels: [String: String]) in
            escalation(
                [role("dev", "pod-maker", [rule(["create"], resources: ["pods"])])],
                [roleBinding("dev", "ci", to: "pod-maker", kind: "Role", [.user("alice")])],
                namespaces: [Namespace(name: "dev", labels: labels)])
        }
        func privileged(_ esc: EscalationGraph) throws -> PathCondition? {
            try #require(esc.step(.runPods(in: .namespace("dev")), .privilegedPod, .nodes)).condition
        }
        #expect(try privileged(cluster(["pod-security.kubernetes.io/enforce": "privileged"]))?.observed == true)
        #expect(try privileged(cluster(["pod-security.kubernetes.io/enforce": "restricted"]))?.observed == false)
        #expect(try privileged(cluster(["pod-security.kubernetes.io/enforce": "baseline"]))?.observed == false)
        #expect(try privileged(cluster([:]))?.observed == nil)
    }
}
