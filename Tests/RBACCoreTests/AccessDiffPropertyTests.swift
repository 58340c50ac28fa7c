// The defining property of `rbacgraph diff` (issue 12): access gained and lost is what the
// authorizer says, not what the text says. Random worlds are mutated the ways a pull request
// changes RBAC, and every request of a grid is asked of both sides by brute force: a request is
// listed as gained (lost) exactly when the head allows it and the base does not (or the reverse).
// The diff skips identities no changed binding names (ChangeReach): the same worlds check that
// skipping them gives the very diff that comparing every identity gives.

import Foundation
@testable import RBACCore
import Testing

@Suite("Access diff: the engine's answers, request by request")
struct AccessDiffPropertyTests {
    /// The mutations a change makes to RBAC objects.
    enum Mutation: String, CaseIterable, CustomStringConvertible {
        case addBinding, removeBinding, addSubject, removeSubject, addRule, removeRule, changeRoleRef
        case addAggregationLabel, removeAggregationLabel, deleteRole, addRole, reorderRules
        /// A binding refers to a copy of its role under another name: other text, same rules.
        case roleRefToTwin
        var description: String { rawValue }
    }

    /// Worlds per mutation: 6 in `make test`; RBACGRAPH_DIFF_SEEDS=N for a longer run.
    static let seeds = ProcessInfo.processInfo.environment["RBACGRAPH_DIFF_SEEDS"].flatMap { Int($0) } ?? 6

    @Test("every listed request changes its answer and every other keeps it", arguments: Mutation.allCases)
    func property(_ mutation: Mutation) {
        var checked = 0
        for seed in 1...Self.seeds {
            var rng = SplitMix(seed: UInt64(seed) &* 7919 &+ UInt64(Mutation.allCases.firstIndex(of: mutation) ?? 0))
            let base = DiffWorld.random(&rng)
            var head = base
            // Two mutations of the kind, then one of any kind: changes come in groups.
            head.mutate(mutation, &rng)
            head.mutate(mutation, &rng)
            head.mutate(Mutation.allCases[rng.below(Mutation.allCases.count)], &rng)
            checked += Self.check(base: base, head: head, seed: seed, mutation: mutation)
        }
        #expect(checked > 0, "no request changed its answer in any world: the mutations test nothing")
    }

    @Test(
        "secret exposure: a reader listed gained (lost) reads on the head and not the base (the reverse); any other reader changes only as a group it is in that is listed",
        arguments: Mutation.allCases)
    func secretExposure(_ mutation: Mutation) {
        var changed = 0
        for seed in 1...Self.seeds {
            var rng = SplitMix(seed: UInt64(seed) &* 7919 &+ UInt64(Mutation.allCases.firstIndex(of: mutation) ?? 0))
            let base = DiffWorld.random(&rng)
            var head = base
            head.mutate(mutation, &rng)
            head.mutate(mutation, &rng)
            head.mutate(Mutation.allCases[rng.below(Mutation.allCases.count)], &rng)
            changed += Self.checkSecrets(base: base, head: head, seed: seed, mutation: mutation)
        }
        // Reordering rules and a roleRef to a twin role change no answer; every other kind of change reaches secrets in some world.
        if mutation != .reorderRules && mutation != .roleRefToTwin { #expect(changed > 0, "no secret read changed its answer: the worlds test nothing") }
    }

    /// Asks every identity every secret read of a grid on both sides and compares with the
    /// diff's secret exposure; returns how many answers changed.
    static func checkSecrets(base: DiffWorld, head: DiffWorld, seed: Int, mutation: Mutation) -> Int {
        let b = AccessGraph(base.cluster), h = AccessGraph(head.cluster)
        var diff = AccessDiff(base: b, head: h)
        diff.compareReach(base: EscalationGraph(b), head: EscalationGraph(h))
        var identities = Set(b.knownIdentities).union(h.knownIdentities)
        identities.insert("group:system:authenticated")
        var changed = 0, failures = 0
        let reads: [(String, String?)] = [("get", nil), ("list", nil), ("watch", nil), ("get", "x"), ("get", "y"), ("get", "z")]
        for text in identities.sorted() + ["user:nobody-names-me"] {
            guard let identity = try? Identity.impersonating(text) else { continue }
            for ns in ["", "a", "b", "c"] {
                for (verb, name) in reads {
                    let request = Request.resource(ResourceRequest(verb: verb, resource: "secrets", namespace: ns, name: name ?? ""))
                    let before = b.authorize(identity, request).allowed, after = h.authorize(identity, request).allowed
                    if before != after { changed += 1 }
                    let readers = exposureClaims(diff, ns, verb, name)
                    let ok: Bool
                    if let own = readers[text] {
                        ok = own.gained == (after && !before) && own.lost == (before && !after)
                    } else if before != after {
                        // Not listed: it changed as a group of it that is listed.
                        ok = identity.groups.contains { g in
                            readers[IdentityNotation.format(.group, name: g)].map { $0.gained == after && $0.lost == before } ?? false
                        }
                    } else {
                        ok = true
                    }
                    if !ok {
                        failures += 1
                        if failures <= 3 {
                            Issue.record("""
                                seed \(seed), \(mutation): \(text) \(verb) secrets \(name ?? "") in \(ns.isEmpty ? "every namespace" : ns): \
                                base \(before), head \(after), exposure \(readers)
                                base: \(base)
                                head: \(head)
                                """)
                        }
                    }
                }
            }
        }
        return changed
    }

    /// The direct readers the secret exposure lists for a read: the entry of the secret, else
    /// of its namespace, else of every namespace; with whether each gained or lost the verb.
    static func exposureClaims(_ diff: AccessDiff, _ ns: String, _ verb: String, _ name: String?) -> [String: (gained: Bool, lost: Bool)] {
        let entries = diff.secretExposure
        let scope: String? = ns.isEmpty ? nil : ns
        let own = ns.isEmpty ? nil : entries.first { $0.namespace == ns && $0.secret == nil }
        let every = entries.first { $0.namespace == nil && $0.secret == nil }
        // The secret's own entry; else its namespace's; else the name's in every namespace; else every secret's.
        let entry = name.flatMap { n in entries.first { $0.namespace == scope && $0.secret == n } }
            ?? own ?? name.flatMap { n in entries.first { $0.namespace == nil && $0.secret == n } } ?? every
        var out: [String: (gained: Bool, lost: Bool)] = [:]
        for r in entry?.gained ?? [] where r.path == nil && r.verbs.contains(verb) { out[r.reader, default: (false, false)].gained = true }
        for r in entry?.lost ?? [] where r.path == nil && r.verbs.contains(verb) { out[r.reader, default: (false, false)].lost = true }
        return out
    }


    @Test("skipping identities no changed binding names gives the same diff", arguments: Mutation.allCases)
    func skipping(_ mutation: Mutation) {
        var skippedSome = false
        // No brute force here: four times the worlds, so that some leave an identity unreached.
        for seed in 1...(4 * Self.seeds) {
            var rng = SplitMix(seed: UInt64(seed) &* 104_729 &+ UInt64(Mutation.allCases.firstIndex(of: mutation) ?? 0))
            let base = DiffWorld.random(&rng)
            var head = base
            head.mutate(mutation, &rng)
            head.mutate(mutation, &rng)
            let b = AccessGraph(base.cluster), h = AccessGraph(head.cluster)
            let skipping = AccessDiff(base: b, head: h)
            let full = AccessDiff(base: b, head: h, skipUnreached: false)
            #expect(Self.claims(skipping) == Self.claims(full), "seed \(seed), \(mutation)\nbase: \(base)\nhead: \(head)")
            let reach = ChangeReach(base: b, head: h)
            let names = Set(b.knownIdentities).union(h.knownIdentities)
            if names.contains(where: { (try? Identity.impersonating($0)).map { !reach.reaches($0) } ?? false }) { skippedSome = true }
        }
        #expect(skippedSome, "no identity was skipped: the test compares nothing")
    }

    /// Every claim of a diff, comparable: identity, scope, group and each change with its causes.
    static func claims(_ diff: AccessDiff) -> [String] {
        diff.identities.flatMap { i in
            i.scopes.flatMap { s in
                let head = "\(i.identity) \(s.namespace ?? "*") \(s.sameAsGroup ?? "-") \(i.members)"
                return s.gained.map { "\(head) + \($0.atom) except \($0.except) \($0.causes)" }
                    + s.lost.map { "\(head) - \($0.atom) except \($0.except) \($0.causes)" }
            }
        }
    }

    @Test("privilege paths: searching only the identities a changed step can reach finds every change searching all finds", arguments: Mutation.allCases)
    func pathPruning(_ mutation: Mutation) {
        var listed = 0
        for seed in 1...Self.seeds {
            var rng = SplitMix(seed: UInt64(seed) &* 7919 &+ UInt64(Mutation.allCases.firstIndex(of: mutation) ?? 0))
            let base = DiffWorld.random(&rng)
            var head = base
            head.mutate(mutation, &rng)
            head.mutate(mutation, &rng)
            head.mutate(Mutation.allCases[rng.below(Mutation.allCases.count)], &rng)
            let b = EscalationGraph(AccessGraph(base.cluster)), h = EscalationGraph(AccessGraph(head.cluster))
            let comparison = ReachComparison(base: b, head: h, context: DiffContext(base: b.access, head: h.access), maxSteps: 8)
            func text(_ list: [PathChange]) -> [String] {
                list.map { "\($0.identity) → \($0.target) \($0.kind.rawValue) \($0.base.id) → \($0.head.id)" }.sorted()
            }
            let pruned = text(comparison.changes()), all = text(comparison.changes(searchingAll: true))
            #expect(pruned == all, "seed \(seed), \(mutation)\nbase: \(base)\nhead: \(head)")
            listed += all.count
        }
        if mutation != .reorderRules && mutation != .roleRefToTwin { #expect(listed > 0, "no path changed in any world: the worlds test nothing (the two kinds of change with no access effect excepted)") }
    }

    @Test("identical inputs give an empty diff", arguments: 1...10)
    func identical(seed: Int) {
        var rng = SplitMix(seed: UInt64(seed))
        let world = DiffWorld.random(&rng)
        let diff = AccessDiff(base: AccessGraph(world.cluster), head: AccessGraph(world.cluster))
        #expect(diff.isEmpty)
        #expect(diff.objectChanges.isEmpty)
    }

    /// Compares the diff's claims with brute force over the grid; returns how many requests
    /// changed their answer.
    static func check(base: DiffWorld, head: DiffWorld, seed: Int, mutation: Mutation) -> Int {
        let b = AccessGraph(base.cluster), h = AccessGraph(head.cluster)
        let diff = AccessDiff(base: b, head: h)
        var identities = Set(b.knownIdentities).union(h.knownIdentities)
        identities.insert("group:system:authenticated")
        var changed = 0
        var failures = 0
        for text in identities.sorted() + ["user:nobody-names-me"] {
            guard let identity = try? Identity.impersonating(text) else { continue }
            // A user no side names is allowed what system:authenticated is.
            let claimedAs = text == "user:nobody-names-me" ? "group:system:authenticated" : text
            for request in DiffGrid.requests {
                let before = b.authorize(identity, request).allowed
                let after = h.authorize(identity, request).allowed
                let (gained, lost) = claims(of: diff, claimedAs, request)
                if before != after { changed += 1 }
                if gained != (after && !before) || lost != (before && !after) {
                    failures += 1
                    if failures <= 3 {
                        Issue.record("""
                            seed \(seed), \(mutation): \(text) \(request) in \(request.namespace.isEmpty ? "cluster" : request.namespace): \
                            base \(before), head \(after), diff claims gained \(gained) lost \(lost)
                            base: \(base)
                            head: \(head)
                            """)
                    }
                }
            }
        }
        return changed
    }

    /// What the diff says about a request: the identity's scope for the request's namespace,
    /// or its cluster-wide scope when the namespace has no entry of its own.
    static func claims(of diff: AccessDiff, _ identity: String, _ request: Request) -> (gained: Bool, lost: Bool) {
        guard let change = diff.identities.first(where: { $0.identity == identity }) else { return (false, false) }
        let ns = request.namespace
        let scope = change.scopes.first { $0.namespace == (ns.isEmpty ? nil : ns) }
            ?? (ns.isEmpty ? nil : change.scopes.first { $0.namespace == nil })
        guard let scope else { return (false, false) }
        return (scope.gained.contains { $0.covers(request) }, scope.lost.contains { $0.covers(request) })
    }
}

/// The requests asked of both sides: every combination of a few verbs, groups, resources,
/// names and namespaces (some no rule mentions), and non-resource URLs.
enum DiffGrid {
    static let requests: [Request] = {
        var out: [Request] = []
        let resources = [("pods", ""), ("secrets", ""), ("pods", "exec"), ("deployments", ""), ("nodes", ""), ("deployments", "exec"), ("pods", "log")]
        for ns in ["", "a", "b", "c"] {
            for verb in ["get", "delete", "create", "escalate"] {
                for group in ["", "apps", "other"] {
                    for (resource, sub) in resources {
                        for name in ["", "x"] {
                            out.append(.resource(ResourceRequest(verb: verb, apiGroup: group, resource: resource, subresource: sub, namespace: ns, name: name)))
                        }
                    }
                }
            }
        }
        for verb in ["get", "post"] {
            for path in ["/healthz", "/api", "/api/v1", "/apis", "/other"] { out.append(.nonResource(verb: verb, path: path)) }
        }
        return out
    }()
}

/// A small random cluster over a vocabulary that makes wildcards, subresources, resource
/// names, URL prefixes and aggregation meet.
struct DiffWorld: CustomStringConvertible {
    var roles: [Role] = []
    var bindings: [Binding] = []
    private var serial = 0

    static let verbs = ["get", "list", "delete", "*", "create"]
    static let groups = ["", "apps", "*"]
    static let resources = ["pods", "secrets", "pods/exec", "*", "*/exec", "deployments", "nodes"]
    static let names: [[String]] = [[], [], ["x"], ["x", "y"]]
    static let urls = ["/healthz", "/api/*", "*", "/api"]
    static let namespaces = ["a", "b"]
    static let subjects: [Subject] = [
        .user("alice"), .user("bob"), .group("devs"), .group("system:authenticated"),
        .serviceAccount("a", "s1"), .serviceAccount("b", "s2"), .group("system:serviceaccounts:a"),
    ]
    static let aggregationLabel = ("agg", "yes")

    var cluster: Cluster { Cluster(roles: roles, bindings: bindings) }

    static func random(_ rng: inout SplitMix) -> DiffWorld {
        var w = DiffWorld()
        w.roles.append(Role(
            kind: .clusterRole, name: "aggregate",
            aggregationRule: AggregationRule(clusterRoleSelectors: [LabelSelector(matchLabels: [aggregationLabel])])))
        for _ in 0..<3 { w.addRole(&rng) }
        for _ in 0..<4 { w.addBinding(&rng) }
        return w
    }

    mutating func name(_ prefix: String) -> String {
        serial += 1
        return "\(prefix)\(serial)"
    }

    static func randomRule(_ rng: inout SplitMix) -> PolicyRule {
        if rng.below(6) == 0 {
            return PolicyRule(verbs: pick(verbs, &rng, max: 2), nonResourceURLs: pick(urls, &rng, max: 2))
        }
        return PolicyRule(
            verbs: pick(verbs, &rng, max: 2), apiGroups: pick(groups, &rng, max: 2), resources: pick(resources, &rng, max: 2),
            resourceNames: names[rng.below(names.count)])
    }

    static func pick(_ list: [String], _ rng: inout SplitMix, max: Int) -> [String] {
        var out: [String] = []
        for _ in 0...rng.below(max) {
            let v = list[rng.below(list.count)]
            if !out.contains(v) { out.append(v) }
        }
        return out
    }

    mutating func addRole(_ rng: inout SplitMix) {
        let rules = (0...rng.below(3)).map { _ in Self.randomRule(&rng) }
        if rng.below(3) == 0 {
            roles.append(Role(kind: .role, name: name("r"), namespace: Self.namespaces[rng.below(2)], rules: rules))
        } else {
            let labels = rng.below(3) == 0 ? [Self.aggregationLabel.0: Self.aggregationLabel.1] : [:]
            roles.append(Role(kind: .clusterRole, name: name("cr"), labels: labels, rules: rules))
        }
    }

    mutating func addBinding(_ rng: inout SplitMix) {
        let role = roles[rng.below(roles.count)]
        let subjects = (0...rng.below(2)).map { _ in Self.subjects[rng.below(Self.subjects.count)] }
        let ref = RoleRef(kind: role.kind.rawValue, name: role.name)
        if role.kind == .clusterRole && rng.below(2) == 0 {
            bindings.append(Binding(kind: .clusterRoleBinding, name: name("crb"), roleRef: ref, subjects: subjects))
        } else {
            let ns = role.namespace ?? Self.namespaces[rng.below(2)]
            bindings.append(Binding(kind: .roleBinding, name: name("rb"), namespace: ns, roleRef: ref, subjects: subjects))
        }
    }

    mutating func mutate(_ mutation: AccessDiffPropertyTests.Mutation, _ rng: inout SplitMix) {
        switch mutation {
        case .addBinding: addBinding(&rng)
        case .removeBinding: if !bindings.isEmpty { bindings.remove(at: rng.below(bindings.count)) }
        case .addSubject:
            if !bindings.isEmpty { bindings[rng.below(bindings.count)].subjects.append(Self.subjects[rng.below(Self.subjects.count)]) }
        case .removeSubject:
            let i = rng.below(max(bindings.count, 1))
            if i < bindings.count, !bindings[i].subjects.isEmpty { bindings[i].subjects.remove(at: rng.below(bindings[i].subjects.count)) }
        case .addRule:
            let i = rng.below(roles.count)
            if roles[i].aggregationRule == nil { roles[i].rules.append(Self.randomRule(&rng)) }
        case .removeRule:
            let i = rng.below(roles.count)
            if !roles[i].rules.isEmpty && roles[i].aggregationRule == nil { roles[i].rules.remove(at: rng.below(roles[i].rules.count)) }
        case .changeRoleRef:
            if !bindings.isEmpty {
                let i = rng.below(bindings.count)
                let candidates = roles.filter { $0.kind == .clusterRole || $0.namespace == bindings[i].namespace }
                if !candidates.isEmpty {
                    let r = candidates[rng.below(candidates.count)]
                    bindings[i].roleRef = RoleRef(kind: r.kind.rawValue, name: r.name)
                }
            }
        case .addAggregationLabel:
            let i = rng.below(roles.count)
            if roles[i].kind == .clusterRole && roles[i].aggregationRule == nil { roles[i].labels[Self.aggregationLabel.0] = Self.aggregationLabel.1 }
        case .removeAggregationLabel:
            if let i = roles.firstIndex(where: { !$0.labels.isEmpty }) { roles[i].labels = [:] }
        case .deleteRole:
            let i = rng.below(roles.count)
            if roles[i].aggregationRule == nil { roles.remove(at: i) }
        case .addRole:
            addRole(&rng)
            addBinding(&rng)
        case .reorderRules:
            let i = rng.below(roles.count)
            roles[i].rules.reverse()
        case .roleRefToTwin:
            guard !bindings.isEmpty else { return }
            let i = rng.below(bindings.count)
            let ref = bindings[i].roleRef
            guard let role = roles.first(where: { $0.kind.rawValue == ref.kind && $0.name == ref.name && ($0.namespace == nil || $0.namespace == bindings[i].namespace) }),
                role.aggregationRule == nil
            else { return }
            var twin = role
            twin.name = name(role.name + "-twin")
            twin.labels = [:]
            roles.append(twin)
            bindings[i].roleRef = RoleRef(kind: twin.kind.rawValue, name: twin.name)
        }
    }

    var description: String {
        let r = roles.map { "\($0.displayName)\($0.labels.isEmpty ? "" : " \($0.labels)"): \($0.rules.map(\.summary))" }
        let b = bindings.map { "\($0.displayName) → \($0.roleRef.kind)/\($0.roleRef.name): \($0.subjects.map(\.description))" }
        return (r + b).joined(separator: "; ")
    }
}

/// A deterministic generator, so that a failure names the seed that reproduces it.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func below(_ n: Int) -> Int { Int(next() % UInt64(max(n, 1))) }
}

extension AccessDiffPropertyTests {
    /// The Pod Security enforce levels a namespace of the worlds may have (`nil`: no label):
    /// they make the steps through privileged pods shown true, not shown or shown false.
    static let enforceLevels: [String?] = [nil, "privileged", "baseline", "restricted"]

    /// The namespaces of a world with random enforce labels.
    static func namespaces(_ rng: inout SplitMix) -> [Namespace] {
        DiffWorld.namespaces.map { name in
            let level = enforceLevels[rng.below(enforceLevels.count)]
            return Namespace(name: name, labels: level.map { ["pod-security.kubernetes.io/enforce": $0] } ?? [:])
        }
    }

    /// The best certainty with which `start` reaches each node by a walk of at most `maxSteps`
    /// steps, by brute force over (node, certainty) states: no costs, no ranking.
    static func bestReach(_ g: EscalationGraph, from start: Int, maxSteps: Int = 8) -> [Reach] {
        var best = [Reach](repeating: .none, count: g.nodes.count)
        var seen = Set<[Int]>()
        var frontier: [(node: Int, reach: Reach)] = [(start, .certain)]
        for _ in 0..<maxSteps {
            var next: [(node: Int, reach: Reach)] = []
            for (u, r) in frontier {
                for e in g.edges(from: NodeID(u)) {
                    let step = Reach(PathCertainty(PrivilegePath(start: e.from, steps: [e])))
                    let v = e.to.index, reach = min(r, step)
                    guard seen.insert([v, reach.rawValue]).inserted else { continue }
                    if v != start { best[v] = max(best[v], reach) }
                    next.append((v, reach))
                }
            }
            frontier = next
        }
        return best
    }

    @Test(
        "privilege paths: each change's reach on each side is the best certainty of any path there (no tie between equally short paths decides it)",
        arguments: Mutation.allCases)
    func pathCertainty(_ mutation: Mutation) {
        var listed = 0
        // Four times the worlds: a removed aggregation label changes paths in few of them.
        for seed in 1...(4 * Self.seeds) {
            var rng = SplitMix(seed: UInt64(seed) &* 15_485_863 &+ UInt64(Mutation.allCases.firstIndex(of: mutation) ?? 0))
            let base = DiffWorld.random(&rng)
            var head = base
            head.mutate(mutation, &rng)
            head.mutate(mutation, &rng)
            head.mutate(Mutation.allCases[rng.below(Mutation.allCases.count)], &rng)
            var baseCluster = base.cluster, headCluster = head.cluster
            baseCluster.namespaces = Self.namespaces(&rng)
            // Half the time, the head relabels one namespace.
            headCluster.namespaces = baseCluster.namespaces
            if rng.below(2) == 0 { headCluster.namespaces = Self.namespaces(&rng) }
            let b = EscalationGraph(AccessGraph(baseCluster)), h = EscalationGraph(AccessGraph(headCluster))
            let comparison = ReachComparison(base: b, head: h, context: DiffContext(base: b.access, head: h.access), maxSteps: 8)
            /// The reach of `target` from `identity` on one side, as the diff defines it: by a
            /// node achieving it, or by full authority.
            func level(_ g: EscalationGraph, _ keys: [String], _ identity: String, _ target: String) -> Reach {
                guard let s = keys.firstIndex(of: identity) else { return .none }
                let best = Self.bestReach(g, from: s)
                var out = Reach.none
                for i in g.nodes.indices where i != s {
                    let t = ReachComparison.target(g.nodes[i])?.target
                    if t == target || t == "cluster-admin" { out = max(out, best[i]) }
                }
                return out
            }
            for change in comparison.changes(searchingAll: true) {
                let before = level(b, comparison.baseKeys, change.identity, change.target)
                let after = level(h, comparison.headKeys, change.identity, change.target)
                #expect(
                    change.base == before && change.head == after,
                    "seed \(seed), \(mutation): \(change.identity) → \(change.target) listed \(change.base.id) → \(change.head.id), brute force \(before.id) → \(after.id)\nbase: \(base) \(baseCluster.namespaces)\nhead: \(head) \(headCluster.namespaces)")
                #expect(ReachComparison.kind(before, after) == change.kind, "seed \(seed), \(mutation): \(change.identity) → \(change.target) is no change")
                listed += 1
            }
        }
        if mutation != .reorderRules && mutation != .roleRefToTwin { #expect(listed > 0, "no path changed in any world: the test compares nothing") }
    }

    @Test("privilege paths: the worlds reach targets with every certainty, ruled out included")
    func pathCertaintyCoverage() {
        var seen = Set<Reach>()
        for seed in 1...(4 * Self.seeds) {
            var rng = SplitMix(seed: UInt64(seed) &* 15_485_863)
            var cluster = DiffWorld.random(&rng).cluster
            cluster.namespaces = Self.namespaces(&rng)
            let g = EscalationGraph(AccessGraph(cluster))
            for i in g.nodes.indices where g.nodes[i].isIdentity { seen.formUnion(Self.bestReach(g, from: i)) }
        }
        #expect(seen == [.none, .ruledOut, .notShown, .shownTrue, .certain], "certainties reached: \(seen.map(\.id).sorted())")
    }
}
