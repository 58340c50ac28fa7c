import Foundation
import Testing
import RBACCore

/// Every node a Kubernetes privilege path prints — in the chains of `paths`, `escalations`,
/// `secrets`, `who-can --effective`, `diff` and the `eval` op `paths`, and the first steps of an
/// identity without a path — is read back as a target with the meaning it had when printed:
/// `paths --to` and `eval` take it, and from the identity whose printed path went through it,
/// a path to it is found. The nodes are collected from the JSON of real outputs: `samples/`,
/// the example worlds of docs/external-secrets.md and the diff example. (The targets the External
/// area prints are read back by ``ExternalTargetRoundTripTests``.)
@Suite("printed path nodes read back")
struct NodeNotationRoundTripTests {
    /// A world, and the commands whose output is collected on it.
    struct World: Sendable {
        var input: [String]
        var commands: [[String]]
    }

    static let worlds: [World] = [
        World(input: ["-f", "samples/"], commands: [
            ["escalations"], ["secrets"], ["who-can", "create", "pods", "-n", "dev", "--effective"],
            ["paths", "--from", "user:erin"], ["paths", "--from", "group:devs", "--all"],
            ["paths", "--from", "group:devs", "--to", "secret:prod/my-secret", "--all"],
        ]),
        World(input: ["-f", "examples/external/cluster.yaml", "-f", "examples/external-targets/cluster.yaml", "--vault", "examples/external/vault", "--no-builtin-policy"], commands: [
            ["escalations"], ["secrets"], ["paths", "--from", "user:alice", "--all"], ["paths", "--from", "user:bob"],
            ["who-can", "read", "vault:secret/data/shared/db", "--effective"],
        ]),
        World(input: ["-f", "examples/diff/head"], commands: [["escalations"], ["secrets"]]),
    ]

    static let kubernetesKinds = Set(EscalationKind.allCases.map(\.rawValue))

    /// A node printed on the way from `start` (`nil`: printed on its own, as a `target`).
    struct Printed: Hashable {
        var start: String?
        var node: String
    }

    /// The nodes of every Kubernetes path in a JSON answer: each step's `to` (its `from` is the
    /// path's start or an earlier step's `to`), and each `target` that is a node.
    static func collect(_ json: Any, into out: inout Set<Printed>) {
        if let list = json as? [Any] {
            for item in list { collect(item, into: &out) }
            return
        }
        guard let object = json as? [String: Any] else { return }
        if let steps = object["steps"] as? [[String: Any]], let start = object["from"] as? String {
            for step in steps where kubernetesKinds.contains(step["kind"] as? String ?? "") {
                if let to = step["to"] as? String { out.insert(Printed(start: start, node: to)) }
                if let from = step["from"] as? String { out.insert(Printed(start: start, node: from)) }
            }
        }
        if let target = object["target"] as? String, PathTarget.parse(target) != nil { out.insert(Printed(start: nil, node: target)) }
        for value in object.values { collect(value, into: &out) }
    }

    /// The first steps `paths` prints for an identity without a path: the REACHES column.
    static func firstSteps(_ text: String) -> [String] {
        guard let header = text.range(of: "STEP            SCOPE  REACHES\n") else { return [] }
        return text[header.upperBound...].split(separator: "\n").compactMap { line in
            line.hasPrefix("  ") ? line.split(separator: " ").last.map(String.init) : nil
        }
    }

    static func printed(in world: World) throws -> Set<Printed> {
        var found = Set<Printed>()
        for command in world.commands {
            let r = try CLI.run(command + world.input + ["-q", "-o", "json"])
            #expect([0, 1].contains(r.status), "\(command): \(r.stderr)")
            collect(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)), into: &found)
            if command.first == "paths", !command.contains("--to") {
                let text = try CLI.run(command + world.input + ["-q"])
                for node in firstSteps(text.stdout) { found.insert(Printed(start: command[2], node: node)) }
            }
        }
        return found
    }

    /// Whether a path to `target` may end at `end`: the node itself or `cluster-admin`; a
    /// Secret also at a node holding it (`secret:NS/*`, `secret:*/*`).
    static func reaches(_ target: String, _ end: String) -> Bool {
        if end == target || end == "cluster-admin" { return true }
        guard target.hasPrefix("secret:"), let slash = target.firstIndex(of: "/") else { return false }
        return end == target[...slash] + "*" || end == "secret:*/*"
    }

    @Test(arguments: worlds.indices)
    func everyPrintedNodeIsATargetWithItsMeaning(_ index: Int) throws {
        let world = Self.worlds[index]
        let printed = try Self.printed(in: world)
        let nodes = Set(printed.map(\.node))
        #expect(nodes.count > 5, "\(nodes)")
        // Each is read as a target, and prints back as it was printed.
        for node in nodes {
            let target = PathTarget.parse(node)
            #expect(target != nil, "\(node) is printed but not read back")
            #expect(target?.description == node || target.map { if case .permission = $0 { true } else { false } } == true, "\(node) reads back as \(String(describing: target))")
        }
        // From the identity whose printed path went through it, `eval` finds a path to it.
        var queries: [String] = []
        var asked: [Printed] = []
        for p in printed.sorted(by: { ($0.start ?? "", $0.node) < ($1.start ?? "", $1.node) }) {
            guard let start = p.start, PathTarget.start(parsing: start) != nil, start != p.node else { continue }
            let query: [String: Any] = ["op": "paths", "from": start, "to": p.node]
            queries.append(String(decoding: try JSONSerialization.data(withJSONObject: query, options: [.sortedKeys]), as: UTF8.self))
            asked.append(p)
        }
        let eval = try CLI.run(["eval", "--queries", "-"] + world.input + ["-q"], stdin: queries.joined(separator: "\n") + "\n")
        #expect(eval.status == 0, "\(eval.stderr)")
        let answers = eval.stdout.split(separator: "\n")
        #expect(answers.count == asked.count)
        for (p, line) in zip(asked, answers) {
            let answer = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] ?? [:]
            #expect(answer["error"] == nil, "\(p): \(line)")
            let paths = answer["paths"] as? [[String: Any]] ?? []
            #expect(!paths.isEmpty, "\(p.start ?? "") printed a path through \(p.node), but none is found to it")
            for end in paths.compactMap({ $0["to"] as? String }) {
                #expect(Self.reaches(p.node, end), "a path to \(p.node) ended at \(end)")
            }
        }
        // `paths --to` takes each (one per notation, to keep the test short): never a usage error.
        var seenKinds = Set<String>()
        for node in nodes.sorted() where seenKinds.insert(String(node.prefix { $0 != ":" })).inserted {
            let r = try CLI.run(["paths", "--from", "group:system:masters", "--to", node] + world.input + ["-q"])
            #expect(r.status == 0, "paths --to \(node): \(r.status) \(r.stderr)")
        }
    }

    /// The notations of chain nodes the worlds above may not print, each read with its meaning.
    @Test("a chain node's notation reads back", arguments: [
        ("run-pods:dev", PathNode.runPods(in: .namespace("dev"))), ("run-pods:*", .runPods(in: .everyNamespace)),
        ("sa:dev/*", .anyServiceAccount(in: .namespace("dev"))), ("sa:*/*", .anyServiceAccount(in: .everyNamespace)),
        ("running-pods:dev", .runningPods(in: .namespace("dev"))), ("running-pods:*", .runningPods(in: .everyNamespace)),
        ("workloads:Deployment:dev", .workloads(kind: "Deployment", in: .namespace("dev"))),
        ("workloads:CronJob:*", .workloads(kind: "CronJob", in: .everyNamespace)),
        ("namespace-admin:dev", .namespaceAuthority("dev")), ("nodes", .nodes),
    ])
    func chainNode(_ text: String, _ node: PathNode) throws {
        let target = try #require(PathTarget.parse(text))
        #expect(target == .node(node))
        #expect(target.description == text && node.description == text)
        #expect(PathTarget.start(parsing: text) == nil)  // a target, not an identity
    }

    @Test("a held role's notation reads back", arguments: [
        ("holder:ClusterRole/view@dev", "ClusterRole/view", Scope.namespace("dev")),
        ("holder:ClusterRole/edit@*", "ClusterRole/edit", .everyNamespace),
        ("holder:ClusterRole/admin@cluster", "ClusterRole/admin", .cluster),
        ("holder:Role/prod/deployer@prod", "Role/prod/deployer", .namespace("prod")),
        ("holder:ClusterRole/system:aggregate-to-edit@dev", "ClusterRole/system:aggregate-to-edit", .namespace("dev")),
    ])
    func holder(_ text: String, _ role: String, _ scope: Scope) throws {
        let target = try #require(PathTarget.parse(text))
        #expect(target == .holder(role: role, scope: scope))
        #expect(target.description == text)
    }

    @Test("malformed node notations are refused", arguments: [
        "run-pods:", "run-pods:a/b", "sa:/*", "sa:dev/", "workloads:dev", "workloads::dev", "namespace-admin:", "namespace-admin:*",
        "holder:view@dev", "holder:ClusterRole/view", "holder:Role/view@dev", "holder:ClusterRole/@dev", "holder:ClusterRole/view@", "node",
    ])
    func malformed(_ text: String) {
        #expect(PathTarget.parse(text) == nil)
    }

    /// An unknown notation is refused by `paths` and `eval` with the list of what is accepted.
    @Test func anUnknownNotationListsWhatIsAccepted() throws {
        let r = try CLI.run(["paths", "--from", "user:erin", "--to", "pods:dev", "-f", "samples/"])
        #expect(r.status == 64)
        for notation in ["cluster-admin", "secret:NS/NAME", "sa:NS/*", "run-pods:NS", "running-pods:NS", "workloads:KIND:NS", "namespace-admin:NS", "nodes",
                         "holder:ClusterRole/NAME@SCOPE", "can:VERB:RESOURCE", "vault:MOUNT/PATH", "store:NS/NAME", "clusterstore:NAME"] {
            #expect(r.stderr.contains(notation), "\(notation) not in: \(r.stderr)")
        }
        let eval = try CLI.run(["eval", "--queries", "-", "-f", "samples/"], stdin: #"{"op":"paths","from":"user:erin","to":"pods:dev"}"# + "\n")
        #expect(eval.stdout.contains("run-pods:NS") && eval.stdout.contains("holder:ClusterRole/NAME@SCOPE"), "\(eval.stdout)")
        // A chain node is no start: --from says --to takes it.
        let from = try CLI.run(["paths", "--from", "sa:dev/*", "-f", "samples/"])
        #expect(from.status == 64 && from.stderr.contains("--to takes it"), "\(from.stderr)")
    }

    /// The first steps of an identity without a path print what they reach as `--to` reads it.
    @Test func theFirstStepsOfAnIdentityWithoutAPathAreTargets() throws {
        let r = try CLI.run(["paths", "--from", "user:erin", "-f", "samples/"])
        #expect(r.status == 1)
        let reached = Self.firstSteps(r.stdout)
        #expect(reached.contains("holder:ClusterRole/viewer@dev"), "\(r.stdout)")
        let path = try CLI.run(["paths", "--from", "user:erin", "--to", "holder:ClusterRole/viewer@dev", "-f", "samples/"])
        #expect(path.status == 0 && path.stdout.contains("1  bind  in dev"), "\(path.stdout)")
    }
}
