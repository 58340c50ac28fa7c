// The deliberately vulnerable clusters of the shared corpus (SOURCES.md, "Vulnerable / CTF
// sets"): every escalation their sources describe is found, step by step. Each scenario is
// loaded on a stock cluster (the v1.24 bootstrap policy), as its source deploys it on kind or
// kubeadm. Where a scenario needs more than RBAC shows (a container escape, a program that
// reacts to labels), the test says so and checks what the graph does model.

import RBACCore
import Testing

// MARK: - KubeHound

/// One KubeHound attack fixture: the identity it equips, the step the attack is, and whether
/// that identity then reaches full authority on the test cluster.
struct KubeHoundAttack: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var identity: String
    var kind: EscalationKind
    /// The step's target, as the CLI describes it.
    var to: String
    var because: [String]
    /// `certain`, `conditional` or `none`.
    var fullAuthority: String
}

/// KubeHound's test cluster is every attack fixture applied to one kind cluster.
@Suite("Escalation: KubeHound attack fixtures", .enabled(if: EscalationCorpus.isPresent, "needs ../shared/corpus"))
struct EscalationKubeHoundTests {
    static let cluster: Scenario? = try? EscalationCorpus.scenario(["vulnerable/kubehound"])

    static func rb(_ ns: String, _ binding: String, _ kind: String, _ role: String, _ rule: Int, _ purpose: String) -> String {
        "RoleBinding/\(ns)/\(binding) → \(kind)/\(kind == "Role" ? ns + "/" : "")\(role) rule \(rule): \(purpose)"
    }

    static func crb(_ binding: String, _ role: String, _ rule: Int, _ purpose: String) -> String {
        "ClusterRoleBinding/\(binding) → ClusterRole/\(role) rule \(rule): \(purpose)"
    }

    static let createRB = "create rolebindings.rbac.authorization.k8s.io"
    static let createCRB = "create clusterrolebindings.rbac.authorization.k8s.io"

    static let attacks: [KubeHoundAttack] = [
        KubeHoundAttack(
            testDescription: "POD_CREATE: create pods in default, so run as any of its service accounts",
            identity: "sa:default/pod-create-sa", kind: .podCreate, to: "run pods in default",
            because: [rb("default", "pod-create-pods", "Role", "create-pods", 0, "create pods")], fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "POD_EXEC: exec into the pods running in default",
            identity: "sa:default/pod-exec-sa", kind: .podExec, to: "code in the running pods of default",
            because: [rb("default", "pod-exec-pods", "Role", "exec-pods", 1, "create pods/exec")], fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "POD_PATCH: patch the pods running in default",
            identity: "sa:default/pod-patch-sa", kind: .podUpdate, to: "code in the running pods of default",
            because: [rb("default", "pod-patch-pods", "Role", "patch-pods", 0, "patch pods")], fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "TOKEN_LIST: list secrets in default (token secrets, if any exist)",
            identity: "sa:default/tokenlist-sa", kind: .secretsRead, to: "every secret of default",
            because: [rb("default", "pod-list-secrets", "Role", "list-secrets", 0, "list secrets")], fullAuthority: "conditional"),
        KubeHoundAttack(
            testDescription: "TOKEN_BRUTEFORCE: get secrets without list: the names must be guessed",
            identity: "sa:default/tokenget-sa", kind: .secretsRead, to: "every secret of default",
            because: [rb("default", "pod-get-secrets", "Role", "read-secrets", 0, "get secrets")], fullAuthority: "conditional"),
        KubeHoundAttack(
            testDescription: "ROLE_BIND CRB/CR → CRB: bind cluster-admin cluster-wide",
            identity: "sa:default/rolebind-sa-crb-cr-crb-cr", kind: .bind, to: "hold ClusterRole/cluster-admin cluster-wide",
            because: [
                crb("pod-bind-role-crb-cr-crb-cr", "rolebind-crb-cr-crb-cr", 0, createCRB),
                crb("pod-bind-role-crb-cr-crb-cr", "rolebind-crb-cr-crb-cr", 1, "bind clusterroles.rbac.authorization.k8s.io"),
            ],
            fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "ROLE_BIND CRB/CR → RB: bind cluster-admin in any namespace",
            identity: "sa:default/rolebind-sa-crb-cr-rb-cr", kind: .bind, to: "hold ClusterRole/cluster-admin in every namespace",
            because: [
                crb("pod-bind-role-crb-cr-rb-cr", "rolebind-crb-cr-rb-cr", 0, createRB),
                crb("pod-bind-role-crb-cr-rb-cr", "rolebind-crb-cr-rb-cr", 1, "bind clusterroles.rbac.authorization.k8s.io"),
            ],
            fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "ROLE_BIND CRB/CR → RB/R: bind Role admin in its namespace",
            identity: "sa:default/rolebind-sa-crb-cr-rb-r", kind: .bind, to: "hold Role/vault/admin in vault",
            because: [
                crb("pod-bind-rola-crb-cr-rb-r", "rolebind-crb-cr-rb-r", 0, createRB),
                crb("pod-bind-rola-crb-cr-rb-r", "rolebind-crb-cr-rb-r", 1, "bind roles.rbac.authorization.k8s.io"),
            ],
            fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "ROLE_BIND RB/CR → RB/CR: bind cluster-admin in default",
            identity: "sa:default/rolebind-sa-rb-cr-rb-cr", kind: .bind, to: "hold ClusterRole/cluster-admin in default",
            because: [
                rb("default", "pod-bind-role-rb-cr-rb-cr", "ClusterRole", "rolebind-rb-cr-rb-cr", 0, createRB),
                rb("default", "pod-bind-role-rb-cr-rb-cr", "ClusterRole", "rolebind-rb-cr-rb-cr", 1, "bind clusterroles.rbac.authorization.k8s.io"),
            ],
            fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "ROLE_BIND RB/CR → RB/R: bind Role default/admin",
            identity: "sa:default/rolebind-sa-rb-cr-rb-r", kind: .bind, to: "hold Role/default/admin in default",
            because: [
                rb("default", "pod-bind-role-rb-cr-rb-r", "ClusterRole", "rolebind-rb-cr-rb-r", 0, createRB),
                rb("default", "pod-bind-role-rb-cr-rb-r", "ClusterRole", "rolebind-rb-cr-rb-r", 1, "bind roles.rbac.authorization.k8s.io"),
            ],
            fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "ROLE_BIND RB/R → RB/R (service account): bind Role default/admin",
            identity: "sa:default/rolebind-sa-rb-r-rb-r", kind: .bind, to: "hold Role/default/admin in default",
            because: [
                rb("default", "pod-bind-role-rb-r-rb-r", "Role", "rolebind-rb-r-rb-r", 0, createRB),
                rb("default", "pod-bind-role-rb-r-rb-r", "Role", "rolebind-rb-r-rb-r", 1, "bind roles.rbac.authorization.k8s.io"),
            ],
            fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "ROLE_BIND RB/R → RB/CR: bind cluster-admin in default",
            identity: "sa:default/rolebind-sa-rb-r-rb-crb", kind: .bind, to: "hold ClusterRole/cluster-admin in default",
            because: [
                rb("default", "pod-bind-role-rb-r-rb-crb", "Role", "rolebind-rb-r-rb-crb", 0, createRB),
                rb("default", "pod-bind-role-rb-r-rb-crb", "Role", "rolebind-rb-r-rb-crb", 1, "bind clusterroles.rbac.authorization.k8s.io"),
            ],
            fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "ROLE_BIND RB/R → RB/R (user): bind Role default/admin",
            identity: "user:user-rb-r-rb-r", kind: .bind, to: "hold Role/default/admin in default",
            because: [
                rb("default", "pod-bind-role-rb-r-rb-r-u", "Role", "rolebind-rb-r-rb-r", 0, createRB),
                rb("default", "pod-bind-role-rb-r-rb-r-u", "Role", "rolebind-rb-r-rb-r", 1, "bind roles.rbac.authorization.k8s.io"),
            ],
            fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "ROLE_BIND RB/R → RB/R (group): bind Role default/admin",
            identity: "group:group-rb-r-rb-r", kind: .bind, to: "hold Role/default/admin in default",
            because: [
                rb("default", "pod-bind-role-rb-r-rb-r-g", "Role", "rolebind-rb-r-rb-r", 0, createRB),
                rb("default", "pod-bind-role-rb-r-rb-r-g", "Role", "rolebind-rb-r-rb-r", 1, "bind roles.rbac.authorization.k8s.io"),
            ],
            fullAuthority: "certain"),
        KubeHoundAttack(
            testDescription: "ROLE_BIND RB/R → RB/CR (group): bind cluster-admin in default",
            identity: "group:group-rb-r-rb-crb", kind: .bind, to: "hold ClusterRole/cluster-admin in default",
            because: [
                rb("default", "pod-bind-role-rb-r-rb-crb-g", "Role", "rolebind-rb-r-rb-crb", 0, createRB),
                rb("default", "pod-bind-role-rb-r-rb-crb-g", "Role", "rolebind-rb-r-rb-crb", 1, "bind clusterroles.rbac.authorization.k8s.io"),
            ],
            fullAuthority: "certain"),
    ]

    @Test("each attack is its step, and leads where it should on the test cluster", arguments: attacks)
    func attack(_ a: KubeHoundAttack) throws {
        let s = try #require(Self.cluster)
        let steps = s.steps(a.identity, a.kind)
        let step = try #require(steps.first { $0.to == a.to }, "\(steps.map(\.to))")
        #expect(step.because == a.because)
        #expect(s.certainty(a.identity) == a.fullAuthority, "\(s.trail(a.identity))")
    }

    /// The bind attacks chain into each other: holding admin in default runs code in the pods
    /// there, one of which runs as the service account that may bind cluster-admin.
    @Test("the attacks chain on one cluster")
    func chains() throws {
        let s = try #require(Self.cluster)
        let holdClusterAdmin = "bind→holder:role#\(try roleIndex(s, "ClusterRole/cluster-admin"))@cluster"
        #expect(s.trail("sa:default/rolebind-sa-crb-cr-crb-cr") == [holdClusterAdmin, "rbac-wildcard→cluster-admin"])
        #expect(s.trail("sa:default/pod-exec-sa") == [
            "pod-exec→running-pods:default", "pod-token→sa:default/rolebind-sa-crb-cr-crb-cr", holdClusterAdmin, "rbac-wildcard→cluster-admin",
        ])
        // POD_CREATE's own threat: a privileged pod takes over its node, if admission allows it
        // (the input has no Pod Security labels: not shown either way).
        let runPods = try #require(s.esc.index(of: .runPods(in: .namespace("default"))))
        let privileged = try #require(s.esc.edges(from: runPods).first { $0.kind == .privilegedPod })
        #expect(s.esc.nodes[privileged.to] == .nodes)
        #expect(privileged.condition?.observed == nil)
    }

    /// The `-fail` variants of ROLE_BIND are KubeHound's negative cases: a ClusterRoleBinding
    /// cannot refer to a Role, and a RoleBinding never grants cluster-scoped bindings.
    @Test(
        "the ROLE_BIND fail variants bind nothing",
        arguments: [
            "sa:default/rolebind-sa-crb-cr-crb-r-fail", "sa:default/rolebind-sa-rb-cr-crb-cr-fail", "sa:default/rolebind-sa-rb-r-crb-cr-fail",
            "user:user-rb-r-crb-cr-fail", "group:group-rb-r-crb-cr-fail",
        ])
    func bindFails(_ identity: String) throws {
        let s = try #require(Self.cluster)
        #expect(s.steps(identity, .bind).isEmpty)
        #expect(s.certainty(identity) == "none", "\(s.trail(identity))")
    }

    /// IDENTITY_IMPERSONATE grants impersonate on users and groups through a RoleBinding.
    /// Users and groups are cluster-scoped: the API server checks `impersonate` with no
    /// namespace, which a RoleBinding never allows, so the fixture gives nothing. The same
    /// rules bound cluster-wide are full authority (a user, and group system:masters).
    @Test("IDENTITY_IMPERSONATE: only cluster-wide impersonation is real")
    func impersonate() throws {
        let s = try #require(Self.cluster)
        #expect(s.steps("sa:default/impersonate-sa", .impersonate).isEmpty)
        #expect(s.certainty("sa:default/impersonate-sa") == "none")

        var cluster = try EscalationCorpus.load(["vulnerable/kubehound/IDENTITY_IMPERSONATE.yaml"])
        let rules = cluster.roles[0].rules
        cluster.roles.append(Role(kind: .clusterRole, name: "impersonate", rules: rules))
        cluster.bindings.append(Binding(
            kind: .clusterRoleBinding, name: "impersonate", roleRef: RoleRef(kind: "ClusterRole", name: "impersonate"),
            subjects: [.serviceAccount("default", "impersonate-sa")]))
        let wide = Scenario(EscalationGraph(AccessGraph(cluster)))
        #expect(wide.trail("sa:default/impersonate-sa") == ["impersonate→cluster-admin"])
        #expect(wide.steps("sa:default/impersonate-sa", .impersonate).first { $0.to == "cluster-admin (full authority)" }?.because == [
            "ClusterRoleBinding/impersonate → ClusterRole/impersonate rule 0: impersonate groups",
            "ClusterRoleBinding/impersonate → ClusterRole/impersonate rule 0: impersonate users",
        ])
    }

    /// IDENTITY_ASSUME is KubeHound's step from a container (or node) to the identity it
    /// runs as; here the identity is group system:nodes, granted list pods. The graph's
    /// counterpart is the pod-token step; for the group, its permission is direct.
    @Test("IDENTITY_ASSUME: the identity holds its own grant, with no step")
    func assume() throws {
        let s = try #require(Self.cluster)
        let path = try #require(s.best("group:system:nodes", "can:list:pods:default"))
        #expect(path.steps.isEmpty)
        #expect(s.reaching("can:list:pods:default")["group:system:nodes"] == true)
    }

    /// CE_VAR_LOG_SYMLINK is a container escape (a symlink in a hostPath /var/log, read
    /// through pods/log): beyond RBAC. What the graph does model: varlog-sa's get pods/log is
    /// no step of its own, and the hostPath pod may be the node to whoever runs code in it.
    @Test("CE_VAR_LOG_SYMLINK: a container escape, modelled as the hostPath pod's node")
    func varLogSymlink() throws {
        let s = try #require(Self.cluster)
        #expect(s.grantedKinds("sa:default/varlog-sa").isEmpty)
        #expect(s.certainty("sa:default/varlog-sa") == "none")
        let node = try #require(s.esc.index(of: .nodes))
        let running = try #require(s.esc.index(of: .runningPods(in: .namespace("default"))))
        let step = try #require(s.esc.edges(from: running).first { $0.to == node })
        #expect(step.condition?.text == "pod default/varlog-pod mounts a hostPath volume that exposes its node (the input shows the mount, not the path)")
        #expect(step.condition?.observed == nil)
    }

    func roleIndex(_ s: Scenario, _ name: String) throws -> Int {
        try #require(s.esc.access.roles.firstIndex { $0.displayName == name })
    }
}

// MARK: - Kubernetes Goat

@Suite("Escalation: Kubernetes Goat", .enabled(if: EscalationCorpus.isPresent, "needs ../shared/corpus"))
struct EscalationGoatTests {
    /// Scenario 16: Role secret-reader gives get/list/watch on every core resource to the
    /// pod's service account: list secrets reads the vault API key.
    @Test("hunger-check: the pod's service account lists the secrets of big-monolith")
    func hungerCheck() throws {
        let s = try EscalationCorpus.scenario(["vulnerable/kubernetes-goat/hunger-check-deployment.yaml"])
        let path = try #require(s.best("sa:big-monolith/big-monolith-sa", "secret:big-monolith/vaultapikey"))
        #expect(s.trail(path) == ["secrets-read→secret:big-monolith/*"])
        #expect(path.isCertain)
        #expect(s.steps("sa:big-monolith/big-monolith-sa", .secretsRead).map(\.because) == [[
            "RoleBinding/big-monolith/secret-reader-binding → Role/big-monolith/secret-reader rule 0: list secrets",
        ]])
        // Reading is all: no pod, token or RBAC write among `get, list, watch`.
        #expect(s.certainty("sa:big-monolith/big-monolith-sa") == "none")
    }

    /// setup-kubernetes-goat.sh binds kube-system/superadmin to the bootstrap cluster-admin.
    @Test("insecure RBAC: superadmin holds cluster-admin")
    func insecureRBAC() throws {
        let s = try EscalationCorpus.scenario(["vulnerable/kubernetes-goat/insecure-rbac-setup.yaml"])
        #expect(s.trail("sa:kube-system/superadmin") == ["rbac-wildcard→cluster-admin"])
        #expect(s.certainty("sa:kube-system/superadmin") == "certain")
        #expect(s.steps("sa:kube-system/superadmin", .rbacWildcard).map(\.because) == [[
            "ClusterRoleBinding/superadmin → ClusterRole/cluster-admin rule 0: * *.*",
        ]])
        // Without the stock policy there is no cluster-admin to bind to: nothing.
        let bare = try EscalationCorpus.scenario(["vulnerable/kubernetes-goat/insecure-rbac-setup.yaml"], stock: false)
        #expect(bare.certainty("sa:kube-system/superadmin") == "none")
    }

    /// Scenario 9 (Helm v2 Tiller): the chart's ClusterRole all-your-base is `*` on
    /// everything; its ClusterRoleBinding template did not survive as YAML. Rendered with the
    /// chart's values (ServiceAccount `default` in namespace `deafult`, sic), it is full
    /// authority; the ClusterRole alone grants no one anything.
    @Test("pwnchart: the chart's ClusterRole is full authority once bound")
    func pwnchart() throws {
        var cluster = try EscalationCorpus.load(["vulnerable/kubernetes-goat/pwnchart-clusterrole.yaml"])
        #expect(Scenario(EscalationGraph(AccessGraph(cluster))).reaching().keys.sorted() == ["group:system:masters"])
        cluster.bindings.append(Binding(
            kind: .clusterRoleBinding, name: "all-your-base", roleRef: RoleRef(kind: "ClusterRole", name: "all-your-base"),
            subjects: [.serviceAccount("deafult", "default")]))
        let bound = Scenario(EscalationGraph(AccessGraph(cluster)))
        #expect(bound.trail("sa:deafult/default") == ["rbac-wildcard→cluster-admin"])
        #expect(bound.reaching() == ["group:system:masters": true, "sa:deafult/default": true])
    }
}

// MARK: - Simulator (CNCF 2023 CTF)

@Suite("Escalation: simulator scenarios", .enabled(if: EscalationCorpus.isPresent, "needs ../shared/corpus"))
struct EscalationSimulatorTests {
    static func load(_ folder: String) throws -> Scenario {
        try EscalationCorpus.scenario(["vulnerable/simulator/" + folder])
    }

    /// coastline-cluster-attack: the fluentd service account may create tokens for any
    /// service account, among them the clusterrole-aggregation-controller, which may escalate
    /// its own ClusterRole. The way in: sre may attach to (and debug) the coastline pods,
    /// which mount the node's `/`. Reading fluentd's token off that node is a runtime fact the
    /// graph reaches only as "control of the node" (conditional).
    @Test("coastline-cluster-attack: fluentd's token requests lead to the aggregation controller")
    func coastline() throws {
        let s = try Self.load("coastline-cluster-attack")
        #expect(s.certainty("sa:kube-system/coastline-fluentd") == "certain")
        #expect(s.trails("sa:kube-system/coastline-fluentd").contains([
            "token-request→sa:*/*", "every-namespace→sa:kube-system/*",
            "each-service-account→sa:kube-system/clusterrole-aggregation-controller", "escalate→cluster-admin",
        ]))
        #expect(s.steps("sa:kube-system/coastline-fluentd", .tokenRequest).map(\.because) == [[
            "ClusterRoleBinding/coastline-fluentd → ClusterRole/coastline-fluentd rule 1: create serviceaccounts/token",
        ]])

        // sre: attach and ephemeral containers in coastline, whose pods mount the host.
        #expect(s.steps("sa:dmz/sre", .podExec).map(\.to) == ["code in the running pods of coastline"])
        #expect(s.steps("sa:dmz/sre", .ephemeralContainer).map(\.to) == ["code in the running pods of coastline"])
        let sre = try #require(s.best("sa:dmz/sre"))
        #expect(s.trail(sre) == ["pod-exec→running-pods:coastline", "privileged-pod→nodes", "control-plane-node→cluster-admin"])
        // The input shows the mount (of `/`, as it happens), not what it exposes; nor which
        // node runs what.
        #expect(sre.steps[1].condition?.text == "a pod of Deployment coastline/data-burrow-prod mounts a hostPath volume that exposes its node (the input shows the mount, not the path)")
        #expect(sre.steps.allSatisfy { $0.condition?.observed != false })
    }

    /// identity-theft: yamlidator's service account may create pods (and exec) in
    /// private-services; the final escalation goes through the clusterrole-aggregation
    /// controller's token, taken from the control-plane node: RBAC shows the node takeover
    /// (conditional on admission) and the controller's own escalate (certain).
    @Test("identity-theft: yamlidator runs pods in private-services")
    func identityTheft() throws {
        let s = try Self.load("identity-theft")
        #expect(s.trail("sa:public-services/yamlidator", "sa:private-services/default") == [
            "pod-create→run-pods:private-services", "run-as→sa:private-services/*", "each-service-account→sa:private-services/default",
        ])
        #expect(s.trail("sa:public-services/yamlidator") == [
            "pod-create→run-pods:private-services", "privileged-pod→nodes", "control-plane-node→cluster-admin",
        ])
        #expect(s.certainty("sa:public-services/yamlidator") == "conditional")
        #expect(s.trail("sa:kube-system/clusterrole-aggregation-controller") == ["escalate→cluster-admin"])
        // The public terminal's own account only looks at pods.
        #expect(s.grantedKinds("sa:public/elitehexor").isEmpty)
    }

    /// commandeer-container: scurvy-dog may attach to the pods of smugglers-cove; misty-gally
    /// runs as cartographer, who may list the secrets of treasure-island.
    @Test("commandeer-container: attach, then the treasure map")
    func commandeer() throws {
        let s = try Self.load("commandeer-container")
        let path = try #require(s.best("sa:sea/scurvy-dog", "secret:treasure-island/map"))
        #expect(s.trail(path) == [
            "pod-exec→running-pods:smugglers-cove", "pod-token→sa:smugglers-cove/cartographer", "secrets-read→secret:treasure-island/*",
        ])
        #expect(path.isCertain)
        #expect(path.steps[0].evidence.map(s.esc.describe) == ["RoleBinding/smugglers-cove/navigator-rb → Role/smugglers-cove/navigator rule 1: create pods/attach"])
    }

    /// devious-developer-data-dump: runner cannot exec, but may create Jobs and CronJobs in
    /// rescue-drop-prod, whose pods mount any secret there.
    @Test("devious-developer-data-dump: jobs mount the production secrets")
    func deviousDeveloper() throws {
        let s = try Self.load("devious-developer-data-dump")
        let path = try #require(s.best("user:runner", "secret:rescue-drop-prod/*"))
        #expect(s.trail(path) == ["workload-create→run-pods:rescue-drop-prod", "mount-secrets→secret:rescue-drop-prod/*"])
        #expect(path.isCertain)
        #expect(path.steps[0].evidence.map(s.esc.describe) == ["RoleBinding/rescue-drop-prod/runner → Role/rescue-drop-prod/runner rule 0: create jobs.batch"])
        #expect(s.steps("user:runner", .podExec).isEmpty)
    }

    /// cease-and-desist: sysadmin reads the license password, execs into the license server
    /// (running as reform-kube, which may patch pods there); the operator job, whose account
    /// may create pods in production, then deploys the flag. The operator's reaction to pod
    /// labels is a program, not RBAC: the chain stops at each account's own powers.
    @Test("cease-and-desist: secrets, exec, and the operator's pod creation")
    func ceaseAndDesist() throws {
        let s = try Self.load("cease-and-desist")
        #expect(s.trail("sa:administration/sysadmin", "secret:administration/rkls-password") == ["secrets-read→secret:administration/*"])
        let exec = try #require(s.best("sa:administration/sysadmin", "sa:licensing/reform-kube"))
        #expect(s.trail(exec) == ["pod-exec→running-pods:licensing", "pod-token→sa:licensing/reform-kube"])
        #expect(exec.isCertain)
        #expect(s.steps("sa:licensing/reform-kube", .podUpdate).map(\.to) == ["code in the running pods of licensing"])
        #expect(s.trail("sa:kube-system/reform-kube-operator", "secret:production/flag") == [
            "pod-create→run-pods:production", "mount-secrets→secret:production/*",
        ])
    }

    /// pss-misconfiguration: dev-app-factory enforces Pod Security level `privileged`, so a
    /// pod created there takes over its node (shown true); platform-admin may read its
    /// secrets and relabel it, but not create pods, so the namespace-psa step is not its.
    @Test("pss-misconfiguration: privileged pods admitted in dev-app-factory")
    func pssMisconfiguration() throws {
        let s = try Self.load("pss-misconfiguration")
        #expect(s.trail("sa:platform/platform-admin", "secret:dev-app-factory/flag-xyz") == ["secrets-read→secret:dev-app-factory/*"])
        #expect(s.steps("sa:platform/platform-admin", .namespacePSA).isEmpty)
        let runPods = try #require(s.esc.index(of: .runPods(in: .namespace("dev-app-factory"))))
        let privileged = try #require(s.esc.edges(from: runPods).first { $0.kind == .privilegedPod })
        #expect(privileged.condition?.observed == true)
        // cp-checker may create secrets there and read them back: a token for any account.
        #expect(s.trail("sa:kube-system/cp-checker", "sa:dev-app-factory/default") == [
            "token-secret→sa:dev-app-factory/*", "each-service-account→sa:dev-app-factory/default",
        ])
    }

    /// seven-seas: the treasure maps, ocean by ocean: north-atlantic's secrets directly; then
    /// a pod in south-atlantic as invader, exec into southern's whydah-galley as
    /// terrible-disguise, a Deployment in south-pacific that mounts its secrets.
    @Test("seven-seas: the chain of service accounts across namespaces")
    func sevenSeas() throws {
        let s = try Self.load("seven-seas")
        #expect(s.trail("sa:arctic/swashbyter", "secret:north-atlantic/treasure-map-2") == ["secrets-read→secret:north-atlantic/*"])
        let path = try #require(s.best("sa:arctic/swashbyter", "secret:south-pacific/treasure-map-6"))
        #expect(s.trail(path) == [
            "pod-create→run-pods:south-atlantic", "run-as→sa:south-atlantic/*", "each-service-account→sa:south-atlantic/invader",
            "pod-exec→running-pods:southern", "pod-token→sa:southern/terrible-disguise",
            "workload-create→run-pods:south-pacific", "mount-secrets→secret:south-pacific/*",
        ])
        #expect(path.isCertain)
    }

    /// build-a-backdoor: sre may read ii-prod's secrets (the ops credentials); the backdoor
    /// itself is services, ingresses and network policies: network, not RBAC. The misnamed
    /// namespace ii-pord grants no secrets.
    @Test("build-a-backdoor: the ops credentials in ii-prod")
    func buildABackdoor() throws {
        let s = try Self.load("build-a-backdoor")
        #expect(s.trail("sa:dmz/sre", "secret:ii-prod/ops-mgmt") == ["secrets-read→secret:ii-prod/*"])
        #expect(s.certainty("sa:dmz/sre", "secret:ii-pord/*") == "none")
        #expect(s.certainty("sa:dmz/sre") == "none")
    }
}

// MARK: - The searches agree on the scenarios

/// For every identity: identitiesReaching, paths(from:to:) and the first of `all` find the
/// same cost.
@Test(
    "identitiesReaching, paths(from:to:) and `all` agree on the vulnerable clusters",
    .enabled(if: EscalationCorpus.isPresent, "needs ../shared/corpus"),
    arguments: ["vulnerable/kubehound", "vulnerable/simulator/coastline-cluster-attack", "vulnerable/simulator/seven-seas"])
func scenarioAgreement(_ folder: String) throws {
    let s = try EscalationCorpus.scenario([folder])
    for target in ["cluster-admin", "secret:kube-system/*", "sa:default/default"] {
        let reverse = Dictionary(uniqueKeysWithValues: s.esc.identitiesReaching(Scenario.target(target)).map { ($0.start, $0.cost) })
        for (i, node) in zip(s.esc.nodes.ids, s.esc.nodes) where node.isIdentity {
            let forward = s.esc.paths(from: node, to: Scenario.target(target)).first?.cost
            #expect(forward == reverse[i], "\(folder): \(node) → \(target)")
            let all = s.esc.paths(from: node, to: Scenario.target(target), all: true, limit: 5).first?.cost
            #expect(all == forward, "\(folder): \(node) → \(target), all")
        }
    }
}
