// The aggregation the library computes equals the controller's walk: synced in name order,
// pass after pass, each sync from the current rules, until a pass changes nothing or a + 2
// passes. The walk below is that definition, written plainly; the library must agree with it
// on every input, cycles of aggregated roles and stale hand-written rules included.

import RBACCore
import Testing

/// The controller's pass-after-pass walk, as the definition (slow: every role, every pass).
func referenceAggregation(_ input: [Role]) -> (roles: [Role], failures: [[String]]) {
    var roles = input
    let clusterRoles = roles.indices.filter { roles[$0].kind == .clusterRole }
        .sorted { roles[$0].name.utf8.lexicographicallyPrecedes(roles[$1].name.utf8) }
    let aggregated = clusterRoles.filter { roles[$0].aggregationRule != nil }
    var failures: [String: String] = [:]
    var changed = true
    var passes = 0
    while !aggregated.isEmpty && changed && passes < aggregated.count + 2 {
        changed = false
        passes += 1
        for target in aggregated {
            var newRules: [PolicyRule] = []
            var seen = Set<PolicyRule>()
            var failed = false
            for selector in roles[target].aggregationRule!.clusterRoleSelectors {
                do { try selector.validate() } catch {
                    failures[roles[target].name] = error.message
                    failed = true
                    break
                }
                for candidate in clusterRoles where !roles[candidate].name.isExactly(roles[target].name) {
                    guard (try? selector.matches(roles[candidate].labels)) == true else { continue }
                    for r in roles[candidate].rules where seen.insert(r).inserted { newRules.append(r) }
                }
            }
            if failed || newRules == roles[target].rules { continue }
            roles[target].rules = newRules
            changed = true
        }
    }
    return (roles, failures.sorted { $0.key < $1.key }.map { [$0.key, $0.value] })
}

/// A small deterministic generator (SplitMix64).
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("§7 ClusterRole aggregation: the library equals the controller's walk")
struct AggregationWalkTests {
    static let rulePool: [PolicyRule] = [
        rule(["get"], resources: ["pods"]), rule(["list"], resources: ["pods"]), rule(["get"], resources: ["secrets"]),
        rule(["watch"], groups: ["*"], resources: ["*"]), rule(["create"], groups: ["apps"], resources: ["deployments"]),
        urlRule(["get"], ["/metrics"]), rule(["delete"], resources: ["configmaps"]),
    ]
    static let keys = ["a", "b", "c"]
    static let values = ["1", "2"]

    /// A random selector: matchLabels and expressions over few keys (so that roles select each
    /// other often and cycles are common), now and then `{}` or an invalid operator.
    static func selector(_ g: inout SeededGenerator) -> LabelSelector {
        switch Int.random(in: 0..<20, using: &g) {
        case 0: return LabelSelector()
        case 1: return LabelSelector(matchExpressions: [.init(key: "a", operator: "Equals", values: ["1"])])
        default:
            var s = LabelSelector()
            if Bool.random(using: &g) { s.matchLabels = [(keys.randomElement(using: &g)!, values.randomElement(using: &g)!)] }
            if s.matchLabels.isEmpty || Int.random(in: 0..<3, using: &g) == 0 {
                let key = keys.randomElement(using: &g)!
                switch Int.random(in: 0..<4, using: &g) {
                case 0: s.matchExpressions = [.init(key: key, operator: "In", values: Array(values.shuffled(using: &g).prefix(Int.random(in: 1...2, using: &g))))]
                case 1: s.matchExpressions = [.init(key: key, operator: "NotIn", values: [values.randomElement(using: &g)!])]
                case 2: s.matchExpressions = [.init(key: key, operator: "Exists")]
                default: s.matchExpressions = [.init(key: key, operator: "DoesNotExist")]
                }
            }
            return s
        }
    }

    static func randomRoles(_ seed: UInt64) -> [Role] {
        var g = SeededGenerator(state: seed)
        let count = Int.random(in: 1...10, using: &g)
        var roles: [Role] = []
        for i in 0..<count {
            var labels: [String: String] = [:]
            for key in keys where Int.random(in: 0..<3, using: &g) == 0 { labels[key] = values.randomElement(using: &g)! }
            let rules = (0..<Int.random(in: 0...3, using: &g)).map { _ in rulePool.randomElement(using: &g)! }
            let selectors: [LabelSelector]? = Int.random(in: 0..<2, using: &g) == 0
                ? (0..<Int.random(in: 0...2, using: &g)).map { _ in selector(&g) } : nil
            // Names in shuffled order, so that sync order and input order differ.
            let name = "r\((i * 7 + Int(seed % 5)) % 11)-\(i)"
            if Int.random(in: 0..<12, using: &g) == 0 {
                var r = role("ns", name, rules)
                r.labels = labels
                roles.append(r)
            } else {
                roles.append(clusterRole(name, labels: labels, rules, aggregating: selectors))
            }
        }
        return roles
    }

    @Test("random role sets: same rules and failures as the walk", arguments: 0..<8)
    func random(batch: UInt64) {
        var cyclic = 0
        for seed in (batch * 500)..<((batch + 1) * 500) {
            let input = Self.randomRoles(seed)
            let expected = referenceAggregation(input)
            var roles = input
            let failures = Aggregation.apply(to: &roles)
            #expect(roles == expected.roles, "seed \(seed)")
            #expect(failures.map { [$0.clusterRole, $0.message] } == expected.failures, "seed \(seed)")
            if input.contains(where: { $0.aggregationRule != nil && $0.labels.count > 0 }) { cyclic += 1 }
        }
        #expect(cyclic > 100, "the generator makes aggregated roles that are selected themselves")
    }

    /// Cycles fed by a chain of aggregated roles that settles late: the stale rules the chain
    /// held in the first passes reach the cycle and survive there, as in the walk.
    @Test("a cycle reading a chain keeps what the chain held on the way")
    func cycleReadingChain() {
        var input: [Role] = []
        // chain-0 reads chain-1 … chain-4 reads the leaf; each holds a stale rule of its own.
        for i in 0..<5 {
            input.append(clusterRole(
                "chain-\(i)", labels: ["chain": "\(i)"], [rule(["get"], resources: ["stale\(i)"])],
                aggregating: [LabelSelector(matchLabels: [("chain", "\(i + 1)")])]))
        }
        input.append(clusterRole("leaf", labels: ["chain": "5"], [rule(["get"], resources: ["pods"])]))
        // a-cycle and b-cycle read each other and chain-0; a-cycle syncs before the chain.
        input.append(clusterRole("a-cycle", labels: ["cycle": "x"], [rule(["list"], resources: ["a"])],
                                 aggregating: [LabelSelector(matchLabels: [("chain", "0")]), LabelSelector(matchLabels: [("cycle", "y")])]))
        input.append(clusterRole("b-cycle", labels: ["cycle": "y"], [rule(["list"], resources: ["b"])],
                                 aggregating: [LabelSelector(matchLabels: [("cycle", "x")])]))
        let expected = referenceAggregation(input)
        var roles = input
        let failures = Aggregation.apply(to: &roles)
        #expect(roles == expected.roles)
        #expect(failures.isEmpty && expected.failures.isEmpty)
        // The stale rules did survive in the cycle (the case is not vacuous).
        let a = roles.first { $0.name == "a-cycle" }!.rules
        #expect(a.contains(rule(["get"], resources: ["stale1"])))
        #expect(roles.first { $0.name == "chain-0" }!.rules == [rule(["get"], resources: ["pods"])])
    }

    /// The benchmark's input, small: a chain of aggregated roles named in sync order (each reads
    /// the next before it is synced), each also selecting every leaf.
    @Test("a chain synced against its direction", arguments: [1, 2, 7, 30])
    func chain(length: Int) {
        var input: [Role] = []
        for i in 0..<length {
            input.append(clusterRole(
                "chain-\(String(i + 100))", labels: ["chain": "\(i)"], [rule(["get"], resources: ["stale\(i)"])],
                aggregating: [LabelSelector(matchLabels: [("chain", "\(i + 1)")]), LabelSelector(matchLabels: [("team", "x")])]))
        }
        for i in 0..<5 { input.append(clusterRole("leaf-\(i)", labels: ["team": "x"], [rule(["get"], resources: ["r\(i)"])])) }
        let expected = referenceAggregation(input)
        var roles = input
        Aggregation.apply(to: &roles)
        #expect(roles == expected.roles)
        #expect(roles.filter { $0.aggregationRule != nil }.allSatisfy { $0.rules.count == 5 })
    }
}
