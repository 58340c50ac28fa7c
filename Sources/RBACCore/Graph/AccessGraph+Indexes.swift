import Synchronization

// The indexes of subjects and rules behind the queries (authorize, who-can, rule walks). They
// are built from the graph's roles, bindings and resolutions on the first query that needs
// them, once per graph (copies of a graph share them): building them is most of the work of
// `AccessGraph.init` on a large input (hashing a key per subject and per resource of every
// rule), which a command that only counts what was loaded (`stats`) does not need.

extension AccessGraph {
    /// The indexes of subjects and rules, built on first use.
    var indexes: QueryIndexes {
        lazyIndexes.value { QueryIndexes(roles: roles, bindings: bindings, resolutions: resolutions) }
    }

    /// The indexes of subjects and rules of one graph.
    final class QueryIndexes: Sendable {
        /// ClusterRoleBindings by the user name / group name a subject matches.
        let crbByUser: [NamespacedName: [Int]]  // namespace ""
        let crbByGroup: [NamespacedName: [Int]]
        /// RoleBindings by namespace and user name / group name.
        let rbByUser: [NamespacedName: [Int]]
        let rbByGroup: [NamespacedName: [Int]]
        /// Bindings by the role they resolve to.
        let crbsByRole: [RoleID: [Int]]
        let rbsByRole: [RoleInNamespace: [Int]]
        /// Rules by resource string, per scope: cluster roles under `""`, Roles under their namespace.
        let resourceRules: [NamespacedName: [RuleRef]]
        /// Rules with nonResourceURLs, per scope as above.
        let nonResourceRules: [NamespacedName: [RuleRef]]  // name ""
        /// Namespaces with RoleBindings naming a user / group (keys with namespace "").
        let rbNamespacesByUser: [NamespacedName: [String]]
        let rbNamespacesByGroup: [NamespacedName: [String]]
        /// RoleBindings per namespace, in order.
        let roleBindingsByNamespace: [NamespacedName: [Int]]  // name ""

        /// Indexes the graph's bindings (by subject and by role) and rules (by resource).
        /// - Complexity: O(s + r) hash operations for s subjects and r resources of rules.
        init(roles: [Role], bindings: [Binding], resolutions: [RoleResolution]) {
            // Subject indexes.
            var crbByUser: [NamespacedName: [Int]] = [:]
            var crbByGroup: [NamespacedName: [Int]] = [:]
            var rbByUser: [NamespacedName: [Int]] = [:]
            var rbByGroup: [NamespacedName: [Int]] = [:]
            var crbsByRole: [RoleID: [Int]] = [:]
            var rbsByRole: [RoleInNamespace: [Int]] = [:]
            var roleBindingsByNamespace: [NamespacedName: [Int]] = [:]
            for (i, b) in bindings.enumerated() {
                let ns = b.namespace ?? ""
                if b.kind == .roleBinding { roleBindingsByNamespace[NamespacedName(namespace: ns, name: ""), default: []].append(i) }
                if case .role(let r) = resolutions[i] {
                    if b.kind == .clusterRoleBinding {
                        crbsByRole[r, default: []].append(i)
                    } else {
                        rbsByRole[RoleInNamespace(namespace: ns, role: r), default: []].append(i)
                    }
                }
                // The binding under the name it matches, in its namespace ("" for a ClusterRoleBinding).
                func index(_ name: String, in byName: inout [NamespacedName: [Int]]) {
                    Self.appendOnce(i, to: &byName[NamespacedName(namespace: ns, name: name), default: []])
                }
                let isCluster = b.kind == .clusterRoleBinding
                for s in b.subjects {
                    switch s.knownKind {
                    case .user: isCluster ? index(s.name, in: &crbByUser) : index(s.name, in: &rbByUser)
                    case .group: isCluster ? index(s.name, in: &crbByGroup) : index(s.name, in: &rbByGroup)
                    case .serviceAccount:
                        guard let user = s.serviceAccountUserName(bindingNamespace: ns) else { continue }
                        isCluster ? index(user, in: &crbByUser) : index(user, in: &rbByUser)
                    case nil: continue
                    }
                }
            }

            var rbNamespacesByUser: [NamespacedName: [String]] = [:]
            var rbNamespacesByGroup: [NamespacedName: [String]] = [:]
            for k in rbByUser.keys { rbNamespacesByUser[NamespacedName(namespace: "", name: k.name), default: []].append(k.namespace) }
            for k in rbByGroup.keys { rbNamespacesByGroup[NamespacedName(namespace: "", name: k.name), default: []].append(k.namespace) }

            // Rule indexes.
            var resourceRules: [NamespacedName: [RuleRef]] = [:]
            var nonResourceRules: [NamespacedName: [RuleRef]] = [:]
            for (ri, role) in roles.enumerated() {
                let scope = role.namespace ?? ""
                for (j, rule) in role.rules.enumerated() {
                    let ref = RuleRef(role: Int32(ri), rule: Int32(j))
                    for res in rule.resources {
                        // Once per rule: a resource written twice in it is indexed once.
                        Self.appendOnce(ref, to: &resourceRules[NamespacedName(namespace: scope, name: res), default: []])
                    }
                    if !rule.nonResourceURLs.isEmpty { nonResourceRules[NamespacedName(namespace: scope, name: ""), default: []].append(ref) }
                }
            }

            self.crbByUser = crbByUser
            self.crbByGroup = crbByGroup
            self.rbByUser = rbByUser
            self.rbByGroup = rbByGroup
            self.crbsByRole = crbsByRole
            self.rbsByRole = rbsByRole
            self.resourceRules = resourceRules
            self.nonResourceRules = nonResourceRules
            self.roleBindingsByNamespace = roleBindingsByNamespace
            self.rbNamespacesByUser = rbNamespacesByUser
            self.rbNamespacesByGroup = rbNamespacesByGroup
        }

        /// Appends `element` unless it is already the list's last: an index lists each binding
        /// (or rule) once under a key, in order, though it may name the key twice.
        @inline(__always)
        private static func appendOnce<T: Equatable>(_ element: T, to list: inout [T]) {
            if list.last != element { list.append(element) }
        }
    }

    /// Where a graph keeps its ``QueryIndexes`` once built. Queries may come from several
    /// threads: the first to finish building stores them, the others use those.
    final class LazyQueryIndexes: Sendable {
        private let built = AtomicLazyReference<QueryIndexes>()

        /// The indexes, built by `make` if none are stored yet.
        @inline(__always)
        func value(_ make: () -> QueryIndexes) -> QueryIndexes {
            if let indexes = built.load() { return indexes }
            return built.storeIfNil(make())
        }
    }
}
