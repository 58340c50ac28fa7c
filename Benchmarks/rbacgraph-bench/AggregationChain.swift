// The nested-aggregation input: a chain of aggregated ClusterRoles, each selecting the next one
// by label and every leaf role labelled `team: x`.

/// Generates the aggregation benchmark's input.
///
/// `chain-000` … `chain-(n-1)` are aggregated ClusterRoles; `chain-i` selects `chain-(i+1)` by
/// the label `chain: c-(i+1)` and, by a second selector, every leaf (`team: x`). Each chain role
/// carries one rule written by hand (as a role created before its aggregation rule was added),
/// which the controller replaces. Names are in the order the controller syncs them, so each
/// role reads the next one before that one is synced: a pass-after-pass simulation needs a pass
/// per link of the chain. The leaves each grant one verb on a resource of their own.
enum AggregationChain {
    struct Summary {
        var chain: Int
        var leaves: Int
        var bytes: Int
    }

    /// The input as a YAML stream of ClusterRoles.
    static func yaml(chain: Int = 210, leaves: Int = 500) -> String {
        var y = YAMLText(capacity: (chain + leaves) * 400)
        func name(_ i: Int) -> String {
            let digits = String(i)
            return "chain-" + String(repeating: "0", count: max(0, 3 - digits.count)) + digits
        }
        for i in 0..<chain {
            y.l(0, "---")
            y.l(0, "apiVersion: rbac.authorization.k8s.io/v1")
            y.l(0, "kind: ClusterRole")
            y.l(0, "metadata:")
            y.l(2, "name: \(name(i))")
            y.l(2, "labels:")
            y.kv(4, "chain", "c-\(i)")
            y.l(0, "aggregationRule:")
            y.l(2, "clusterRoleSelectors:")
            y.l(2, "- matchLabels:")
            y.kv(6, "chain", "c-\(i + 1)")
            y.l(2, "- matchLabels:")
            y.kv(6, "team", "x")
            y.l(0, "rules:")
            y.l(0, "- apiGroups: [\"\"]")
            y.l(2, "resources: [\"configmaps\"]")
            y.l(2, "verbs: [\"get\"]")
            y.l(2, "resourceNames: [\"\(name(i))\"]")
        }
        for i in 0..<leaves {
            y.l(0, "---")
            y.l(0, "apiVersion: rbac.authorization.k8s.io/v1")
            y.l(0, "kind: ClusterRole")
            y.l(0, "metadata:")
            y.l(2, "name: leaf-\(i)")
            y.l(2, "labels:")
            y.kv(4, "team", "x")
            y.l(0, "rules:")
            y.l(0, "- apiGroups: [\"example.com\"]")
            y.l(2, "resources: [\"widgets\(i)\"]")
            y.l(2, "verbs: [\"get\", \"list\"]")
        }
        return y.s
    }
}

import Foundation
import RBACCore
import RBACLoading

extension AggregationChain {
    struct Run {
        var chain: Int
        var leaves: Int
        var bytes: Int
        /// AccessGraph builds (aggregation included), seconds.
        var builds: [Double]
        /// `Aggregation.apply` alone, seconds.
        var aggregations: [Double]
        /// Problems with the answer (the chain roles must each end with the leaves' rules).
        var problems: [String]

        var ok: Bool { problems.isEmpty }
        var summary: String {
            var s = "nested aggregation: \(chain) chained ClusterRoles + \(leaves) leaves (\(bytes >> 10) KiB): AccessGraph built in \(fmt(median(builds) * 1000)) ms, of which aggregation \(fmt(median(aggregations) * 1000)) ms (medians of \(builds.count))"
            for p in problems { s += "\n  wrong answer: \(p)" }
            return s
        }
    }

    /// Loads the input, then times `AccessGraph(cluster)` (aggregation is part of it) and its
    /// first query (which builds the query indexes): three
    /// runs, or one when a run takes more than 5 s. Checks the answer: every chain role ends
    /// with exactly the leaves' rules (its own hand-written rule replaced).
    static func measure(chain: Int, leaves: Int, writeTo path: String?) -> Run {
        let text = yaml(chain: chain, leaves: leaves)
        if let path { _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8)) }
        let loaded: ManifestLoader.Result
        do { loaded = try ManifestLoader().load(yaml: text, name: "aggregation-chain.yaml") } catch { fail("\(error)") }
        var builds: [Double] = []
        var aggregations: [Double] = []
        var graph: AccessGraph?
        while builds.count < 3 {
            var roles = loaded.cluster.roles
            var start = monotonicNanos()
            Aggregation.apply(to: &roles)
            aggregations.append(seconds(since: start))
            start = monotonicNanos()
            let built = AccessGraph(loaded.cluster)
            // The query indexes are built on the first query: counted here, as before they were lazy.
            _ = built.namespacesWithRoleBindings
            graph = built
            builds.append(seconds(since: start))
            if builds[0] > 5 { break }
        }
        var problems: [String] = []
        let g = graph!
        let leafRules = Set((0..<leaves).compactMap { g.clusterRole(named: "leaf-\($0)")?.rules.first })
        if leafRules.count != leaves { problems.append("\(leafRules.count) leaf rules loaded, \(leaves) expected") }
        for role in g.roles where role.aggregationRule != nil {
            if role.rules.count != leaves || Set(role.rules) != leafRules {
                problems.append("\(role.name) has \(role.rules.count) rules")
                break
            }
        }
        return Run(chain: chain, leaves: leaves, bytes: text.utf8.count, builds: builds, aggregations: aggregations, problems: problems)
    }
}
