/// The API server's admission of RBAC writes: the escalation checks its RBAC storage runs on top
/// of authorization when a RoleBinding, ClusterRoleBinding, Role or ClusterRole is created or
/// updated (Kubernetes `pkg/registry/rbac/*/policybased/storage.go` and
/// `pkg/registry/rbac/escalation_check.go`).
///
/// A write is admitted when RBAC allows the write itself (`create` on the collection, or
/// `update` on the named object) AND the escalation check passes:
/// - for a binding: the writer is in `system:masters`, or may `bind` the referenced role
///   (asked in the binding's namespace, with the role's name), or already holds every rule of
///   that role in the binding's scope (`ConfirmNoEscalation`, rule by rule with `Covers`);
/// - for a role: the writer is in `system:masters`, or may `escalate` the role resource (in the
///   role's namespace; with the object's name on update, no name on create), or already holds
///   every rule the role grants; a ClusterRole with an `aggregationRule` also needs full
///   authority (`*` on `*.*` and on non-resource `*`) unless `escalate` or `system:masters`
///   let it through.
public enum Admission {
    /// The verb of a write: `create` for a new object, `update` (or `patch`) for an existing one.
    public enum WriteVerb: String, Hashable, Sendable, CaseIterable {
        case create, update, patch
    }

    /// The object being written, as the API server receives it.
    public enum Object: Hashable, Sendable {
        case binding(Binding)
        case role(Role)

        /// `RoleBinding`, `ClusterRoleBinding`, `Role` or `ClusterRole`.
        public var kind: String {
            switch self {
            case .binding(let b): return b.kind.rawValue
            case .role(let r): return r.kind.rawValue
            }
        }

        /// The object's name.
        public var name: String {
            switch self {
            case .binding(let b): return b.name
            case .role(let r): return r.name
            }
        }

        /// The object's namespace; `nil` for the cluster-scoped kinds.
        public var namespace: String? {
            switch self {
            case .binding(let b): return b.kind == .clusterRoleBinding ? nil : b.namespace
            case .role(let r): return r.kind == .clusterRole ? nil : r.namespace
            }
        }

        /// `kind/name` or `kind/namespace/name`, for messages.
        public var displayName: String {
            namespace.map { "\(kind) \($0)/\(name)" } ?? "\(kind) \(name)"
        }
    }

    /// How the escalation check was passed, or why it failed.
    public enum EscalationCheck: Hashable, Sendable {
        /// The writer is in `system:masters`: the API server skips the check.
        case systemMasters
        /// RBAC allows the writer `bind` on the referenced role.
        case bindAllowed(request: ResourceRequest, decision: RBACCore.Decision)
        /// RBAC allows the writer `escalate` on the role resource.
        case escalateAllowed(request: ResourceRequest, decision: RBACCore.Decision)
        /// The writer already holds every rule the object would grant (`ConfirmNoEscalation`).
        case rulesHeld(ruleCount: Int)
        /// The binding's role does not exist (and `bind` is not allowed): the API server refuses
        /// with "not found" when it looks the role up.
        case roleNotFound(RoleRef, bindRequest: ResourceRequest?)
        /// The binding's `roleRef.kind` is neither `Role` nor `ClusterRole`.
        case unsupportedRoleRefKind(String)
        /// The writer lacks `bind`/`escalate` and does not hold these rules (atoms of `Covers`)
        /// of what the object grants.
        case rulesNotHeld(missing: [PolicyRule], bindOrEscalateRequest: ResourceRequest?, resolutionErrors: [String])
        /// A ClusterRole with an aggregationRule needs full authority, which the writer lacks.
        case aggregationNeedsFullAuthority(missing: [PolicyRule])

        /// Whether the check passed.
        public var passed: Bool {
            switch self {
            case .systemMasters, .bindAllowed, .escalateAllowed, .rulesHeld: return true
            case .roleNotFound, .unsupportedRoleRefKind, .rulesNotHeld, .aggregationNeedsFullAuthority: return false
            }
        }
    }

    /// The answer to "may this identity write this object?", with each check's evidence.
    public struct Verdict: Hashable, Sendable {
        /// The object written.
        public var object: Object
        /// `create`, `update` or `patch`.
        public var verb: WriteVerb
        /// The request authorization is asked for the write itself.
        public var writeRequest: ResourceRequest
        /// Authorization's answer on the write.
        public var write: RBACCore.Decision
        /// The escalation check of the RBAC storage (run even when the write is denied, to
        /// explain everything that would have to change).
        public var escalation: EscalationCheck
        /// For an update: the existing object changes the immutable `roleRef`, which the API
        /// server rejects whatever the permissions (delete and re-create instead).
        public var roleRefChange: RoleRefChange?

        /// Whether the API server admits the write.
        public var allowed: Bool { write.allowed && escalation.passed && roleRefChange == nil }
    }

    /// An update that would change a binding's `roleRef` (immutable in Kubernetes).
    public struct RoleRefChange: Hashable, Sendable {
        public var old: RoleRef
        public var new: RoleRef
    }

    /// The rules of cluster-admin that aggregating ClusterRoles need: `*` on `*.*` and on
    /// non-resource `*`.
    public static let fullAuthority: [PolicyRule] = [
        PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
        PolicyRule(verbs: ["*"], nonResourceURLs: ["*"]),
    ]

    /// The API group of the RBAC kinds.
    public static let rbacGroup = "rbac.authorization.k8s.io"
}
