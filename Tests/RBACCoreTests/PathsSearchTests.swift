// How paths are chosen: fewest steps, but certain before conditional; never more than
// maxSteps; `all` lists several, best first; identitiesReaching (a search backwards from the
// target) agrees with paths(from:to:) for every identity; a start that already satisfies the
// target gives a path of no steps.

import RBACCore
import Testing

@Suite("Privilege paths: search")
struct PathsSearchTests {
    /// alice can read dev's secrets directly, or by running a pod that mounts them.
    static let twoWaysToSecrets = escalation(
        [role("dev", "dev-tools", [rule(["create"], resources: ["pods"]), rule(["list"], resources: ["secrets"])])],
        [roleBinding("dev", "tools", to: "dev-tools", kind: "Role", [.user("alice")])],
        secrets: [SecretMetadata(namespace: "dev", name: "db-pass")])

    /// alice reaches full authority in two conditional steps (the kubelet API of a node that
    /// may run control-plane pods) or in three certain ones (a token for a service account
    /// that may rewrite admission webhooks).
    static let certainOrConditional = escalation(
        [
            clusterRole("node-debug", [rule(["get"], resources: ["nodes/proxy"])]),
            role("kube-system", "token-minter", [rule(["create"], resources: ["serviceaccounts/token"])]),
            clusterRole("webhooks", [rule(["patch"], groups: ["admissionregistration.k8s.io"], resources: ["mutatingwebhookconfigurations"])]),
        ],
        [
            clusterRoleBinding("debug", to: "node-debug", [.user("alice")]),
            roleBinding("kube-system", "tokens", to: "token-minter", kind: "Role", [.user("alice")]),
            clusterRoleBinding("webhook-manager", to: "webhooks", [.serviceAccount("kube-system", "webhook-manager")]),
        ])

    @Test("the shortest path has the fewest steps")
    func fewestSteps() throws {
        let esc = Self.twoWaysToSecrets
        let path = try #require(esc.best(aliceNode, target("secret:dev/db-pass")))
        #expect(esc.trail(path) == ["secrets-read→secret:dev/*"])
        #expect(esc.because(path.steps[0]) == ["RoleBinding/dev/tools → Role/dev/dev-tools rule 1: list secrets"])
    }

    @Test("a certain path is preferred to a conditional one, even when longer")
    func certainFirst() throws {
        let esc = Self.certainOrConditional
        let path = try #require(esc.best(aliceNode, .fullAuthority))
        #expect(esc.trail(path) == [
            "token-request→sa:kube-system/*", "each-service-account→sa:kube-system/webhook-manager", "webhook-config→cluster-admin",
        ])
        #expect(path.isCertain)
        // The conditional one exists, and is shorter.
        let all = esc.paths(from: aliceNode, to: .fullAuthority, all: true)
        let conditional = try #require(all.first { !$0.isCertain })
        #expect(esc.kinds(conditional) == [.nodeProxy, .controlPlaneNode])
        #expect(all.first == path)
    }

    /// (maxSteps, the kinds of the best path, how many paths `all` finds).
    static let limits: [(Int, [EscalationKind], Int)] = [
        (1, [], 0),
        (2, [.nodeProxy, .controlPlaneNode], 1),  // only the conditional path fits
        (3, [.tokenRequest, .eachServiceAccount, .webhookConfig], 2),
        (4, [.tokenRequest, .eachServiceAccount, .webhookConfig], 2),
    ]

    @Test("no path is longer than maxSteps", arguments: limits)
    func maxSteps(_ limit: Int, _ best: [EscalationKind], _ count: Int) {
        let esc = Self.certainOrConditional
        #expect(esc.kinds(esc.best(aliceNode, .fullAuthority, maxSteps: limit)) == best)
        let all = esc.paths(from: aliceNode, to: .fullAuthority, maxSteps: limit, all: true)
        #expect(all.count == count)
        #expect(all.allSatisfy { $0.steps.count <= limit })
        #expect(esc.identitiesReaching(.fullAuthority, maxSteps: limit).allSatisfy { $0.steps.count <= limit })
    }

    /// The best path within maxSteps, even when a cheaper but longer path goes through the same
    /// node: here alice reaches sa:ops/robot certainly through seven impersonated users (eight
    /// steps), or conditionally by reading ops's secrets (three steps); robot then takes one step
    /// to full authority. With maxSteps 8 only the conditional path fits.
    @Test("the step limit does not hide a path that fits in it")
    func stepLimitIsExact() throws {
        var roles = [
            clusterRole("webhooks", [rule(["patch"], groups: ["admissionregistration.k8s.io"], resources: ["validatingwebhookconfigurations"])]),
            role("ops", "secret-getter", [rule(["get"], resources: ["secrets"])]),
        ]
        var bindings = [
            clusterRoleBinding("robot", to: "webhooks", [.serviceAccount("ops", "robot")]),
            roleBinding("ops", "getter", to: "secret-getter", kind: "Role", [.user("alice")]),
        ]
        let chain = ["alice", "u1", "u2", "u3", "u4", "u5", "u6", "u7"]
        for (i, user) in chain.enumerated() {
            let next = i + 1 < chain.count
                ? rule(["impersonate"], resources: ["users"], names: [chain[i + 1]])
                : rule(["impersonate"], resources: ["serviceaccounts"], names: ["robot"])
            roles.append(clusterRole("impersonate-\(i)", [next]))
            bindings.append(clusterRoleBinding("impersonate-\(i)", to: "impersonate-\(i)", [.user(user)]))
        }
        let esc = escalation(roles, bindings)

        let within8 = try #require(esc.best(aliceNode, .fullAuthority, maxSteps: 8))
        #expect(esc.kinds(within8) == [.secretsRead, .readToken, .eachServiceAccount, .webhookConfig])
        #expect(!within8.isCertain)
        let within9 = try #require(esc.best(aliceNode, .fullAuthority, maxSteps: 9))
        #expect(within9.isCertain)
        #expect(within9.steps.count == 9)

        let reverse8 = try #require(esc.identitiesReaching(.fullAuthority, maxSteps: 8).first { esc.nodes[$0.start] == aliceNode })
        #expect(reverse8.cost == within8.cost)
        let reverse9 = try #require(esc.identitiesReaching(.fullAuthority, maxSteps: 9).first { esc.nodes[$0.start] == aliceNode })
        #expect(reverse9.cost == within9.cost)
    }

    @Test("`all` lists several paths, distinct, best first, up to the limit")
    func allPaths() throws {
        let esc = Self.twoWaysToSecrets
        let all = esc.paths(from: aliceNode, to: target("secret:dev/db-pass"), all: true)
        #expect(all.count >= 2)
        #expect(Set(all).count == all.count)
        #expect(all.first == esc.best(aliceNode, target("secret:dev/db-pass")))
        #expect(zip(all, all.dropFirst()).allSatisfy { $0.cost <= $1.cost })
        #expect(all.allSatisfy { esc.satisfies($0.end, target("secret:dev/db-pass")) })
        #expect(all.contains { esc.trail($0) == ["pod-create→run-pods:dev", "mount-secrets→secret:dev/*"] })
        #expect(esc.paths(from: aliceNode, to: target("secret:dev/db-pass"), all: true, limit: 1).count == 1)
    }

    /// alice may create pods in twelve namespaces (each a conditional way to a node, and on
    /// from there), and mint a token in zz for a service account with cluster-admin: the one
    /// certain path comes last in the graph's order, after dozens of conditional ones.
    @Test("`all` lists the cheapest paths first, however many others come before them")
    func allPathsBestFirst() throws {
        let namespaces = (1...12).map { "a\($0 < 10 ? "0" : "")\($0)" }
        let esc = escalation(
            [
                clusterRole("cluster-admin", [rule(["*"], groups: ["*"], resources: ["*"])]),
                clusterRole("pod-maker", [rule(["create"], resources: ["pods"])]),
                role("zz", "token-minter", [rule(["create"], resources: ["serviceaccounts/token"])]),
            ],
            [
                clusterRoleBinding("admins", to: "cluster-admin", [.serviceAccount("zz", "admin")]),
                roleBinding("zz", "tokens", to: "token-minter", kind: "Role", [.user("alice")]),
            ] + namespaces.map { roleBinding($0, "pods", to: "pod-maker", kind: "ClusterRole", [.user("alice")]) })
        let best = try #require(esc.best(aliceNode, .fullAuthority))
        #expect(esc.trail(best) == ["token-request→sa:zz/*", "each-service-account→sa:zz/admin", "rbac-wildcard→cluster-admin"])
        #expect(esc.paths(from: aliceNode, to: .fullAuthority, all: true, limit: 1) == [best])
        let all = esc.paths(from: aliceNode, to: .fullAuthority, all: true)
        #expect(all.count > 10)  // every simple path of at most 8 steps: 25
        #expect(all.first == best)
        #expect(all.dropFirst().allSatisfy { !$0.isCertain })
        #expect(zip(all, all.dropFirst()).allSatisfy { ($0.cost, $0.steps.count) <= ($1.cost, $1.steps.count) })
    }

    @Test("a start that satisfies the target gives one path of no steps")
    func zeroSteps() throws {
        let esc = Self.twoWaysToSecrets
        let sa = PathNode.serviceAccount(namespace: "dev", name: "default")
        let same = try #require(esc.paths(from: sa, to: .identity(sa)).first)
        #expect(same.steps.isEmpty)
        #expect(esc.nodes[same.start] == sa)

        // alice may create pods in dev herself.
        let direct = esc.paths(from: aliceNode, to: target("can:create:pods:dev"))
        #expect(direct.count == 1)
        #expect(direct.first?.steps.isEmpty == true)
        let reached = try #require(esc.identitiesReaching(target("can:create:pods:dev")).first { esc.nodes[$0.start] == aliceNode })
        #expect(reached.steps.isEmpty)
    }

    @Test("a permission target is reached by holding a role one can bind")
    func permissionThroughBind() throws {
        let esc = escalation(
            [
                role("dev", "admin", [rule(["*"], groups: ["*"], resources: ["*"])]),
                role("dev", "binder", [rule(["create"], groups: [rbacGroup], resources: ["rolebindings"]), rule(["bind"], groups: [rbacGroup], resources: ["roles"], names: ["admin"])]),
            ],
            [roleBinding("dev", "binder", to: "binder", kind: "Role", [.user("alice")])])
        let path = try #require(esc.best(aliceNode, target("can:delete:pods:dev")))
        #expect(esc.trail(path) == ["bind→holder:role#0@dev"])
        #expect(esc.describe(path.end) == "hold Role/dev/admin in dev")
        // In prod only by taking over a node (admin may create pods): never certain.
        let prod = try #require(esc.best(aliceNode, target("can:delete:pods:prod")))
        #expect(!prod.isCertain)
        #expect(prod.steps.contains { esc.nodes[$0.to] == .nodes })
    }

    @Test("an identity the input does not mention has its groups' power once included")
    func unknownIdentity() throws {
        let access = AccessGraph(Cluster(
            roles: [clusterRole("pod-maker", [rule(["create"], resources: ["pods"])])],
            bindings: [clusterRoleBinding("everyone", to: "pod-maker", [.group("system:authenticated")])]))
        let mallory = PathNode.user("mallory")
        #expect(EscalationGraph(access).paths(from: mallory, to: target("secret:dev/*")).isEmpty)
        let esc = EscalationGraph(access, including: [mallory])
        #expect(esc.kinds(esc.best(mallory, target("secret:dev/*"))) == [.publicBinding, .podCreate, .mountSecrets])
    }

    /// A service account the input does not mention is reached only if it exists: pods naming
    /// it are refused, the token controller deletes its token secrets (issue 8, bug 2). Users
    /// and groups need no object: they are added as they are.
    @Test("PathFinder: an identity absent from the input is reachable only on the condition that it exists")
    func absentIdentity() throws {
        let finder = PathFinder(AccessGraph(Cluster(
            roles: [role("dev", "secret-maker", [rule(["create", "get"], resources: ["secrets"])])],
            bindings: [roleBinding("dev", "devs", to: "secret-maker", kind: "Role", [.group("devs")])])))
        let ghost = PathNode.serviceAccount(namespace: "dev", name: "ghost")
        let answer = finder.answer(PathQuery(from: .group("devs"), to: .identity(ghost)))
        let path = try #require(answer.paths.first)
        #expect(answer.graph.kinds(path) == [.tokenSecret, .eachServiceAccount])
        let condition = try #require(path.steps.last?.condition)
        #expect(condition.text == "service account dev/ghost exists (the input does not mention it)")
        #expect(condition.observed == nil)
        // dev/default is in every namespace: certain.
        let known = finder.answer(PathQuery(from: .group("devs"), to: .identity(.serviceAccount(namespace: "dev", name: "default"))))
        #expect(known.paths.first?.isCertain == true)
        // The input's own graph is used when it holds the identities; the extended one is kept.
        #expect(known.graph.nodes.count == finder.graph.nodes.count)
        #expect(finder.graph(including: [ghost]).nodes == answer.graph.nodes)
        // A user the input does not name is as real as any: its groups' power, no condition.
        let mallory = finder.answer(PathQuery(from: .user("mallory"), to: .identity(.group("system:authenticated"))))
        #expect(mallory.paths.first?.isCertain == true)
    }

    @Test(
        "targets parse as the CLI takes them",
        arguments: [
            ("cluster-admin", PathTarget.fullAuthority), ("secret:prod/db", .secret(namespace: "prod", name: "db")),
            ("secret:prod/*", .secret(namespace: "prod", name: nil)),
            ("sa:prod/api", .identity(.serviceAccount(namespace: "prod", name: "api"))), ("user:alice", .identity(.user("alice"))),
            ("group:devs", .identity(.group("devs"))), ("can:get:pods:prod:web", .permission(req("get", "pods", ns: "prod", name: "web"))),
            ("can:create:deployments:dev", .permission(req("create", "deployments", group: "apps", ns: "dev"))),
            ("can:get:nodes/proxy:ignored", .permission(req("get", "nodes", sub: "proxy"))),  // cluster-scoped: no namespace
            ("can:get:/healthz", .permission(url("get", "/healthz"))),
        ])
    func parseTargets(_ text: String, _ expected: PathTarget) {
        #expect(PathTarget.parse(text) == expected)
    }

    @Test("malformed targets are refused", arguments: ["", "admin", "secret:", "secret:/x", "secret:prod/", "sa:prod", "can:get", "sa:/x"])
    func badTargets(_ text: String) {
        #expect(PathTarget.parse(text) == nil)
    }
}

// MARK: - identitiesReaching agrees with paths(from:to:)

/// Clusters to compare the two searches on: every cluster of the step and near-miss tables,
/// and the search clusters above.
let agreementClusters: [(String, EscalationGraph)] =
    (PathsStepTests.secretsRead + PathsStepTests.podCreate + PathsStepTests.workloadCreate + PathsStepTests.workloadUpdate
        + PathsStepTests.runningPods + PathsStepTests.tokens + PathsStepTests.rbac + PathsStepTests.impersonation
        + PathsStepTests.clusterScoped).map { ($0.testDescription, EscalationGraph(AccessGraph($0.cluster))) }
    + PathsStepTests.misses.map { ($0.testDescription, EscalationGraph(AccessGraph($0.cluster))) }
    + [("two ways to secrets", PathsSearchTests.twoWaysToSecrets), ("certain or conditional", PathsSearchTests.certainOrConditional)]

/// For every identity of `esc`: identitiesReaching lists it exactly when paths(from:to:) finds
/// a path, at the same cost, and its path is a real chain of edges from it to the target.
func checkAgreement(_ esc: EscalationGraph, _ target: PathTarget, maxSteps: Int = 8, _ name: String) {
    let reverse = Dictionary(uniqueKeysWithValues: esc.identitiesReaching(target, maxSteps: maxSteps).map { ($0.start, $0) })
    for (i, node) in zip(esc.nodes.ids, esc.nodes) where node.isIdentity {
        let forward = esc.paths(from: node, to: target, maxSteps: maxSteps).first
        let backward = reverse[i]
        #expect((forward == nil) == (backward == nil), "\(name): \(node) → \(target): forward \(esc.trail(forward)), reverse \(esc.trail(backward))")
        guard let f = forward, let b = backward else { continue }
        #expect(f.cost == b.cost, "\(name): \(node) → \(target): \(esc.trail(f)) vs \(esc.trail(b))")
        #expect(b.steps.count <= maxSteps)
        var at = i
        for s in b.steps {
            #expect(s.from == at)
            at = s.to
        }
        #expect(esc.satisfies(at, target), "\(name): \(node) ends at \(esc.nodes[at])")
    }
}

@Test(
    "identitiesReaching agrees with paths(from:to:) for every identity",
    arguments: ["cluster-admin", "secret:dev/*", "secret:dev/db-pass", "sa:dev/default", "can:delete:pods:dev:x"])
func reachingAgreesWithPaths(_ targetText: String) {
    for (name, esc) in agreementClusters {
        checkAgreement(esc, target(targetText), name)
        checkAgreement(esc, target(targetText), maxSteps: 2, name + " (2 steps)")
    }
}
