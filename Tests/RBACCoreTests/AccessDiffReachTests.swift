// `rbacgraph diff` beyond per-identity access (issue 12): the readers of secrets gained and
// lost, privilege paths gained and lost to secrets, service accounts, identities and
// cluster-admin, and a namespace's Pod Security label as their cause.

import RBACCore
import Testing

@Suite("Access diff: secret exposure and privilege paths")
struct AccessDiffReachTests {
    /// The diff of two worlds with the paths and secret readers compared.
    static func diff(_ base: Cluster, _ head: Cluster) -> AccessDiff {
        let b = AccessGraph(base), h = AccessGraph(head)
        var d = AccessDiff(base: b, head: h)
        d.compareReach(base: EscalationGraph(b), head: EscalationGraph(h))
        return d
    }

    /// `title: +reader verbs` (or `by a path`) per entry of the secret exposure.
    static func exposure(_ d: AccessDiff) -> [String] {
        d.secretExposure.flatMap { e in
            e.gained.map { "\(e.title): +\($0.reader) \($0.path == nil ? $0.verbs.joined(separator: ",") : "by a path")" }
                + e.lost.map { "\(e.title): -\($0.reader) \($0.path == nil ? $0.verbs.joined(separator: ",") : "by a path")" }
        }
    }

    /// `identity → target kind (base → head)` per path change.
    static func paths(_ d: AccessDiff) -> [String] {
        d.paths.map { "\($0.identity) → \($0.target) \($0.kind.rawValue) (\($0.base.id) → \($0.head.id))" }
    }

    static let readSecrets = clusterRole("secret-reader", [rule(["get", "list"], resources: ["secrets"])])
    static let makePods = clusterRole("pod-maker", [rule(["create"], resources: ["pods"])])
    static let namespaces = [Namespace(name: "prod"), Namespace(name: "dev")]

    @Test("a RoleBinding to a secret reader: a direct reader of that namespace's secrets, caused by the binding")
    func directReaderInNamespace() {
        let base = Cluster(roles: [Self.readSecrets], namespaces: Self.namespaces)
        var head = base
        head.bindings = [roleBinding("prod", "ci-secrets", to: "secret-reader", kind: "ClusterRole", [.serviceAccount("ci", "deployer")])]
        let d = Self.diff(base, head)
        #expect(Self.exposure(d) == ["every secret of prod: +sa:ci/deployer get,list"])
        #expect(d.secretExposure[0].gained[0].causes.map { "\($0.object) \($0.kind.rawValue)" } == ["RoleBinding/prod/ci-secrets added"])
        // Reversed: the reader is lost, caused by the deletion.
        let r = Self.diff(head, base)
        #expect(Self.exposure(r) == ["every secret of prod: -sa:ci/deployer get,list"])
        #expect(r.secretExposure[0].lost[0].causes.map(\.kind) == [.deleted])
    }

    @Test("a reader whose name is another reader's in the other spelling is a new reader (names compare byte for byte)")
    func otherSpellingIsANewReader() {
        let composed = "zo\u{EB}", decomposed = "zoe\u{308}"
        let base = Cluster(roles: [Self.readSecrets], bindings: [
            roleBinding("prod", "a", to: "secret-reader", kind: "ClusterRole", [.user(composed)]),
        ], namespaces: Self.namespaces)
        var head = base
        head.bindings.append(roleBinding("prod", "b", to: "secret-reader", kind: "ClusterRole", [.user(decomposed)]))
        let gained = Self.diff(base, head).secretExposure.flatMap(\.gained).map(\.reader)
        #expect(gained.count == 1)
        #expect(gained.first?.isExactly("user:" + decomposed) == true)
    }

    @Test("a ClusterRoleBinding: one entry for every namespace, none repeated per namespace")
    func everyNamespace() {
        let base = Cluster(roles: [Self.readSecrets], namespaces: Self.namespaces)
        var head = base
        head.bindings = [clusterRoleBinding("devs-secrets", to: "secret-reader", [.group("devs")])]
        #expect(Self.exposure(Self.diff(base, head)) == ["every secret of every namespace: +group:devs get,list"])
    }

    @Test("a namespace where the reader held the secrets already: listed on its own, with no change there")
    func heldEitherWay() {
        let already = roleBinding("prod", "devs-prod", to: "secret-reader", kind: "ClusterRole", [.group("devs")])
        let base = Cluster(roles: [Self.readSecrets], bindings: [already], namespaces: Self.namespaces)
        var head = base
        head.bindings.append(clusterRoleBinding("devs-secrets", to: "secret-reader", [.group("devs")]))
        let d = Self.diff(base, head)
        #expect(Self.exposure(d) == ["every secret of every namespace: +group:devs get,list"])
        #expect(d.secretExposure.map(\.title) == ["every secret of every namespace", "every secret of prod"])
        #expect(d.secretExposure[1].gained.isEmpty && d.secretExposure[1].lost.isEmpty)
    }

    @Test("a get limited by resourceNames: one secret's reader, not the namespace's")
    func oneSecret() {
        let one = role("prod", "db-reader", [rule(["get"], resources: ["secrets"], names: ["db"])])
        let base = Cluster(roles: [one], namespaces: Self.namespaces, secrets: [SecretMetadata(namespace: "prod", name: "db")])
        var head = base
        head.bindings = [roleBinding("prod", "db", to: "db-reader", kind: "Role", [.user("alice")])]
        #expect(Self.exposure(Self.diff(base, head)) == ["secret prod/db: +user:alice get"])
    }

    @Test("create pods: the namespace's secrets newly read by a path, listed as a path and as a reader by a path")
    func readerByAPath() {
        let base = Cluster(roles: [Self.makePods], namespaces: Self.namespaces)
        var head = base
        head.bindings = [roleBinding("dev", "ci-pods", to: "pod-maker", kind: "ClusterRole", [.user("alice")])]
        let d = Self.diff(base, head)
        #expect(Self.paths(d).contains("user:alice → secret:dev/* gained (none → certain)"))
        let change = d.paths.first { $0.target == "secret:dev/*" }
        #expect(change?.steps.first?.hasPrefix("pod-create → run pods in dev") == true)
        #expect(change?.causes.map { "\($0.object) \($0.kind.rawValue)" } == ["RoleBinding/dev/ci-pods added"])
        #expect(Self.exposure(d).contains("every secret of dev: +user:alice by a path"))
        // Nothing in prod: the grant is dev's.
        #expect(!d.paths.contains { $0.namespace == "prod" })
    }

    @Test("impersonating a service account: the identity is a target of its own")
    func identityTarget() {
        let imp = role("prod", "impersonate-api", [rule(["impersonate"], resources: ["serviceaccounts"], names: ["api"])])
        let base = Cluster(roles: [imp], serviceAccounts: [ServiceAccount(namespace: "prod", name: "api")], namespaces: Self.namespaces)
        var head = base
        head.bindings = [roleBinding("prod", "alice-api", to: "impersonate-api", kind: "Role", [.user("alice")])]
        let d = Self.diff(base, head)
        #expect(Self.paths(d).contains("user:alice → sa:prod/api gained (none → certain)"))
        #expect(d.paths.allSatisfy { $0.isGain })
    }

    /// alice creates pods in dev; dev's Pod Security label decides whether they may be
    /// privileged, and so whether her path through a node to cluster-admin is open.
    static func podSecurityWorld(_ level: String?, controlPlane: Bool = false) -> Cluster {
        let dev = Namespace(
            name: "dev", labels: level.map { ["pod-security.kubernetes.io/enforce": $0] } ?? [:],
            source: SourceLocation(file: "ns.yaml", line: 1, column: 1))
        return Cluster(
            roles: [Self.makePods], bindings: [roleBinding("dev", "alice-pods", to: "pod-maker", kind: "ClusterRole", [.user("alice")])],
            namespaces: [dev],
            workloads: controlPlane
                ? [Workload(kind: "Pod", namespace: "kube-system", name: "kube-apiserver-cp1", template: PodTemplate(nodeName: "cp1"))] : [])
    }

    @Test(
        "a Pod Security label relaxed or tightened: the path through privileged pods opens or closes, the label named as the cause",
        arguments: [
            ("baseline", "privileged", "user:alice → cluster-admin gained (ruled-out → conditional-not-shown)", ObjectChange.Kind.podSecurityRelaxed),
            ("privileged", "restricted", "user:alice → cluster-admin lost (conditional-not-shown → ruled-out)", .podSecurityTightened),
            (nil, "baseline", "user:alice → cluster-admin lost (conditional-not-shown → ruled-out)", .podSecurityTightened),
            ("restricted", nil, "user:alice → cluster-admin gained (ruled-out → conditional-not-shown)", .podSecurityRelaxed),
        ] as [(String?, String?, String, ObjectChange.Kind)])
    func podSecurity(_ before: String?, _ after: String?, expected: String, cause: ObjectChange.Kind) {
        let d = Self.diff(Self.podSecurityWorld(before), Self.podSecurityWorld(after))
        #expect(d.identities.isEmpty, "RBAC is the same on both sides")
        // Every other target through the node (every secret, every service account) is the
        // same change as cluster-admin's: listed there.
        #expect(Self.paths(d) == [expected])
        let causes = d.paths.first?.causes ?? []
        #expect(causes.map(\.kind) == [cause])
        #expect(causes.first?.object == "Namespace/dev")
        #expect(causes.first?.detail == "pod-security.kubernetes.io/enforce: \(before ?? "(no label)") → \(after ?? "(no label)")")
        #expect(causes.first?.base?.description == "ns.yaml:1:1" && causes.first?.head?.description == "ns.yaml:1:1")
        // The label change is an object change with an access effect.
        #expect(d.objectChanges.map(\.object) == ["Namespace/dev"])
        #expect(d.objectChangesWithoutAccessEffect.isEmpty)
    }

    @Test("a label that admits privileged pods where none was: the path is shown open, more certain")
    func moreCertain() {
        // The control-plane pod in the input shows the last step true; the label decides the rest.
        let d = Self.diff(Self.podSecurityWorld(nil, controlPlane: true), Self.podSecurityWorld("privileged", controlPlane: true))
        #expect(Self.paths(d) == ["user:alice → cluster-admin more certain (conditional-not-shown → conditional-shown-true)"])
        #expect(d.paths.first?.causes.map(\.kind) == [.podSecurityRelaxed])
        #expect(d.paths.first?.isGain == true)
    }

    @Test("identical sides: no path changes, no secret exposure")
    func identical() {
        let world = Self.podSecurityWorld("baseline")
        let d = Self.diff(world, world)
        #expect(d.paths.isEmpty && d.secretExposure.isEmpty && d.isEmpty)
    }
}
