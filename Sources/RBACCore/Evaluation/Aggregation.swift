// The ClusterRole aggregation controller
// (`pkg/controller/clusterroleaggregation/clusterroleaggregation_controller.go`), run to its
// fixed point. See RBAC-SEMANTICS §7.

/// Computes the rules of aggregated ClusterRoles.
public enum Aggregation {
    /// A problem that stopped the controller from syncing one aggregated role.
    public struct Failure: Hashable, Sendable {
        public var clusterRole: String
        public var message: String
    }

    /// Replaces the rules of every ClusterRole that has an `aggregationRule` with the
    /// aggregated rules, repeating until nothing changes (aggregated roles feed each other).
    ///
    /// Aggregated roles are synced in name order, pass after pass. For each: every selector in
    /// order selects ClusterRoles, sorted by name, the role itself excluded, whose current
    /// rules are appended, each rule once (first occurrence wins); the result replaces the
    /// role's rules (an empty result too). The walk starts from the rules as loaded, so in a
    /// cycle of aggregated roles rules written by hand can survive, exactly as in a cluster
    /// (the conformance suites show this). A selector error leaves the role as it is, as the
    /// controller does.
    ///
    /// - Parameter roles: every role; only ClusterRoles take part.
    /// - Returns: the ClusterRoles whose sync failed, with the reason.
    /// - Complexity: O(p · a · c · r) for p passes (at most a + 2), a aggregated roles, c
    ///   ClusterRoles and r rules per role.
    @discardableResult
    public static func apply(to roles: inout [Role]) -> [Failure] {
        let clusterIndices = roles.indices.filter { roles[$0].kind == .clusterRole }
        // Synced in name order, pass after pass, until nothing changes.
        let aggregated = clusterIndices.filter { roles[$0].aggregationRule != nil }.sorted { roles[$0].name.utf8.lexicographicallyPrecedes(roles[$1].name.utf8) }
        if aggregated.isEmpty { return [] }
        // ClusterRoles sorted by name: the controller lists and sorts them each sync.
        // (Go sorts strings by bytes.)
        let byName = clusterIndices.sorted { roles[$0].name.utf8.lexicographicallyPrecedes(roles[$1].name.utf8) }

        var failures: [String: String] = [:]
        var changed = true
        var passes = 0
        while changed && passes < aggregated.count + 2 {
            changed = false
            passes += 1
            for target in aggregated {
                guard let rule = roles[target].aggregationRule else { continue }
                var newRules: [PolicyRule] = []
                var seen = Set<PolicyRule>()
                var failed = false
                // Each selector in order; its matches sorted by name; the role itself skipped.
                for selector in rule.clusterRoleSelectors {
                    do { try selector.validate() } catch {
                        failures[roles[target].name] = error.message
                        failed = true
                        break
                    }
                    for candidate in byName where !roles[candidate].name.isExactly(roles[target].name) {
                        guard (try? selector.matches(roles[candidate].labels)) == true else { continue }
                        for r in roles[candidate].rules where seen.insert(r).inserted {
                            newRules.append(r)
                        }
                    }
                }
                if failed { continue }
                if newRules == roles[target].rules { continue }
                roles[target].rules = newRules
                changed = true
            }
        }
        return failures.sorted { $0.key < $1.key }.map { Failure(clusterRole: $0.key, message: $0.value) }
    }
}
