/// What answers cannot know when part of a cluster could not be read: the statement an answer
/// makes under "not read from the cluster", so that a missing fact reads as unknown, never as
/// false.
///
/// RBAC only adds permissions and the path engine treats an object absent from the input as a
/// condition ("not shown"), never as a refusal; so a gap can only hide a "yes", a reader or a
/// path — each statement says which.
public enum UnknownFact: String, Sendable, Hashable, CaseIterable, Comparable {
    /// ClusterRoles, ClusterRoleBindings, Roles or RoleBindings.
    case rbac
    /// Namespaces: which exist, and their Pod Security labels.
    case namespaces
    /// ServiceAccounts: which exist, and their `automountServiceAccountToken`.
    case serviceAccounts
    /// Pods and the workload kinds that make them.
    case pods
    /// Secret names and types (never values).
    case secrets
    /// External Secrets Operator objects (stores, ExternalSecrets, PushSecrets) and Secrets
    /// Store CSI SecretProviderClasses.
    case externalSecrets
    /// API discovery: custom resources and short names.
    case discovery

    /// The fact a resource that could not be read leaves unknown.
    public init(resource: String) {
        switch resource {
        case "clusterroles", "clusterrolebindings", "roles", "rolebindings": self = .rbac
        case "namespaces": self = .namespaces
        case "serviceaccounts": self = .serviceAccounts
        case "secrets": self = .secrets
        case "discovery": self = .discovery
        case _ where ClusterReader.externalResources.contains(resource): self = .externalSecrets
        default: self = .pods  // pods, replicationcontrollers and the workload kinds
        }
    }

    /// One sentence: what is unknown, and which answers it can shorten.
    public var statement: String {
        switch self {
        case .rbac:
            return "RBAC objects unknown: a \"no\" may be a yes, and lists of who can, permissions and paths may be short"
        case .namespaces:
            return "namespace labels unknown, not absent: Pod Security enforcement is not known, so steps through privileged pods stay conditional"
        case .serviceAccounts:
            return "service accounts unknown, not absent: steps to an identity stay conditional on its existence, and automount settings are not known"
        case .pods:
            return "pod facts unknown, not false: which pods run, their service accounts, tokens, host access and images are not known; paths through running pods and findings on workloads may be missing"
        case .secrets:
            return "secret names and types unknown, not absent: token-secret steps, secret lists and their readers may be missing"
        case .externalSecrets:
            return "external secret objects unknown, not absent (SecretStores, ExternalSecrets, PushSecrets, SecretProviderClasses): readers of vault: and store: targets, external secret paths and the Secrets they write may be missing"
        case .discovery:
            return "custom resources unknown: names resolve by rbacgraph's built-in table of Kubernetes resources"
        }
    }

    /// Most important first: the order of the cases.
    private var rank: Int {
        switch self {
        case .rbac: 0
        case .namespaces: 1
        case .serviceAccounts: 2
        case .pods: 3
        case .secrets: 4
        case .externalSecrets: 5
        case .discovery: 6
        }
    }

    public static func < (a: UnknownFact, b: UnknownFact) -> Bool { a.rank < b.rank }
}

extension ReadGap {
    /// What this gap leaves unknown.
    public var unknownFact: UnknownFact { UnknownFact(resource: resource) }
}

extension ClusterRead {
    /// What answers cannot know, most important first: every gap's fact, and secrets when
    /// `--no-secrets` left them out. Empty when the read was complete.
    public var unknownFacts: [UnknownFact] {
        var facts = Set(gaps.map(\.unknownFact))
        if secretsSkipped { facts.insert(.secrets) }
        return facts.sorted()
    }
}
