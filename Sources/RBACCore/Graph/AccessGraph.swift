/// The loaded cluster with aggregation applied and every index the queries need.
///
/// Build one from a ``Cluster`` and ask it questions:
/// ```swift
/// let graph = AccessGraph(cluster)
/// graph.authorize(.serviceAccount(namespace: "prod", name: "api"), request)
/// graph.subjects(allowedTo: request)
/// graph.rules(for: identity, in: "prod")
/// ```
/// The answers are those of the Kubernetes RBAC authorizer (plus the `system:masters` group
/// the API server allows ahead of RBAC); see `docs/semantics.md`.
///
/// Objects with the same kind, namespace and name replace earlier ones (the last wins, as with
/// `kubectl apply`); ``duplicates`` lists them.
public struct AccessGraph: Sendable {
    /// Roles and ClusterRoles, deduplicated, with aggregated ClusterRoles' rules computed.
    public let roles: [Role]
    /// RoleBindings and ClusterRoleBindings, deduplicated, in input order.
    public let bindings: [Binding]
    /// The non-RBAC objects, as loaded.
    public let serviceAccounts: [ServiceAccount]
    public let namespaces: [Namespace]
    public let secrets: [SecretMetadata]
    public let workloads: [Workload]
    /// The Kubernetes version the answers assume, `nil` when unknown (``Cluster/kubernetesVersion``).
    public let kubernetesVersion: String?
    /// API server configuration documents in the input.
    public let encryptionConfigurations: [EncryptionConfiguration]
    public let auditPolicies: [AuditPolicy]
    /// Secrets outside Kubernetes (Vault, External Secrets Operator, Secrets Store CSI).
    public let external: ExternalInventory
    /// Whether the External Secrets Operator writes objects other than Secrets, as its
    /// Deployments in the input say (``GenericTargetsSetting``).
    public let genericTargets: GenericTargetsSetting
    /// Aggregated ClusterRoles the controller could not sync (invalid selectors).
    public let aggregationFailures: [Aggregation.Failure]
    /// What each aggregated ClusterRole's selectors select (indices into ``roles``).
    public let aggregation: AggregationIndex
    /// Objects that replaced an earlier object of the same kind, namespace and name.
    public let duplicates: [String]
    /// The rules of unmodified built-in ClusterRoles that aggregate nothing: what an aggregated
    /// built-in role may hold without news from the input (``isBuiltInOnly(_:)``).
    let builtInRules: Set<PolicyRule>

    /// How a binding's roleRef resolves: a role of ``roles``, or the error Kubernetes reports.
    public enum RoleResolution: Hashable, Sendable {
        case role(RoleID)
        case error(String)
    }
    /// One entry per binding.
    public let resolutions: [RoleResolution]

    // MARK: Indexes
    let clusterRoleByName: [NamespacedName: Int]  // namespace ""
    let roleByKey: [NamespacedName: Int]
    /// The indexes of subjects and rules the queries use (``QueryIndexes``), built on the
    /// first query: a command that only counts (`stats`) never pays for them.
    let lazyIndexes = LazyQueryIndexes()

    /// A byte-exact key (Kubernetes names compare as bytes).
    struct NamespacedName: Hashable, Sendable {
        var namespace: String
        var name: String

        static func == (a: Self, b: Self) -> Bool { a.namespace.isExactly(b.namespace) && a.name.isExactly(b.name) }

        func hash(into hasher: inout Hasher) {
            namespace.hashExactly(into: &hasher)
            name.hashExactly(into: &hasher)
        }
    }

    /// A role bound in a namespace (by RoleBindings there): a byte-exact key.
    struct RoleInNamespace: Hashable, Sendable {
        var namespace: String
        var role: RoleID

        static func == (a: Self, b: Self) -> Bool { a.role == b.role && a.namespace.isExactly(b.namespace) }

        func hash(into hasher: inout Hasher) {
            namespace.hashExactly(into: &hasher)
            hasher.combine(role)
        }
    }

    /// A rule of a role: `roles[role].rules[rule]`.
    struct RuleRef: Hashable, Sendable {
        var role: Int32
        var rule: Int32
    }

    /// Builds the graph: deduplicates, aggregates ClusterRoles and resolves roleRefs. The
    /// indexes of subjects and rules are built on the first query that needs them.
    ///
    /// The graph keeps the cluster's arrays of roles and bindings, deduplicated and aggregated
    /// in place: given a cluster no one else holds (`AccessGraph(consume cluster)`), it copies
    /// no object (on a large load, copying every role and binding — a reference count touched
    /// per string and array of each — was about half the time of building the graph).
    /// - Complexity: O(n log n) in the number of objects and rules, plus aggregation.
    public init(_ cluster: consuming Cluster) {
        var duplicates: [String] = []

        // Roles, last one wins (keeping the position of the first): roles[..<kept] are kept,
        // roles[kept..<n] are the objects replaced or moved.
        var roles = cluster.roles
        cluster.roles = []
        var clusterRoleByName: [NamespacedName: Int] = [:]
        var roleByKey: [NamespacedName: Int] = [:]
        let clusterRoleCount = roles.reduce(0) { $0 + ($1.kind == .clusterRole ? 1 : 0) }
        clusterRoleByName.reserveCapacity(clusterRoleCount)
        roleByKey.reserveCapacity(roles.count - clusterRoleCount)
        var kept = 0
        for n in roles.indices {
            let isCluster = roles[n].kind == .clusterRole
            let key = NamespacedName(namespace: isCluster ? "" : roles[n].namespace ?? "", name: roles[n].name)
            // One hash for a new key: the index is set, and put back for a duplicate.
            if let i = isCluster
                ? clusterRoleByName.updateValue(kept, forKey: key) : roleByKey.updateValue(kept, forKey: key)
            {
                if isCluster { clusterRoleByName[key] = i } else { roleByKey[key] = i }
                duplicates.append(roles[n].displayName)
                roles.swapAt(i, n)
            } else {
                if kept != n { roles.swapAt(kept, n) }
                kept += 1
            }
        }
        roles.removeSubrange(kept...)
        aggregation = AggregationIndex(roles)
        aggregationFailures = Aggregation.apply(to: &roles, index: aggregation)
        builtInRules = Self.builtInRules(of: roles)

        // Bindings, last one wins (keeping the position of the first), in place as above.
        var bindings = cluster.bindings
        cluster.bindings = []
        var bindingByKey: [ObjectKey: Int] = [:]
        bindingByKey.reserveCapacity(bindings.count)
        kept = 0
        for n in bindings.indices {
            let key = ObjectKey(bindings[n])
            if let i = bindingByKey.updateValue(kept, forKey: key) {
                bindingByKey[key] = i
                duplicates.append(bindings[n].displayName)
                bindings.swapAt(i, n)
            } else {
                if kept != n { bindings.swapAt(kept, n) }
                kept += 1
            }
        }
        bindings.removeSubrange(kept...)

        // roleRef resolution, exactly as GetRoleReferenceRules.
        var resolutions: [RoleResolution] = []
        resolutions.reserveCapacity(bindings.count)
        for b in bindings.indices {
            // The roleRef and namespace alone: copying each binding would touch every string of it.
            let ns = bindings[b].namespace ?? "", ref = bindings[b].roleRef
            switch ref.kind {
            case _ where ref.kind.isExactly("ClusterRole"):
                if let i = clusterRoleByName[NamespacedName(namespace: "", name: ref.name)] {
                    resolutions.append(.role(RoleID(i)))
                } else {
                    resolutions.append(.error("clusterrole.rbac.authorization.k8s.io \"\(ref.name)\" not found"))
                }
            case _ where ref.kind.isExactly("Role"):
                if !ns.isEmpty, let i = roleByKey[NamespacedName(namespace: ns, name: ref.name)] {
                    resolutions.append(.role(RoleID(i)))
                } else {
                    resolutions.append(.error("role.rbac.authorization.k8s.io \"\(ref.name)\" not found"))
                }
            default:
                resolutions.append(.error("unsupported role reference kind: \"\(ref.kind)\""))
            }
        }

        self.roles = roles
        self.bindings = bindings
        self.serviceAccounts = cluster.serviceAccounts
        self.namespaces = cluster.namespaces
        self.secrets = cluster.secrets
        self.workloads = cluster.workloads
        self.kubernetesVersion = cluster.kubernetesVersion
        self.encryptionConfigurations = cluster.encryptionConfigurations
        self.auditPolicies = cluster.auditPolicies
        self.external = cluster.external.resolvingTargetManifests()
        self.genericTargets = cluster.genericTargets
        self.duplicates = duplicates
        self.resolutions = resolutions
        self.clusterRoleByName = clusterRoleByName
        self.roleByKey = roleByKey
    }

    /// The ClusterRole with this name, after aggregation.
    /// - Complexity: O(1).
    public func clusterRole(named name: String) -> Role? {
        clusterRoleByName[NamespacedName(namespace: "", name: name)].map { roles[$0] }
    }

    /// The Role with this namespace and name.
    /// - Complexity: O(1).
    public func role(named name: String, in namespace: String) -> Role? {
        roleByKey[NamespacedName(namespace: namespace, name: name)].map { roles[$0] }
    }
}
