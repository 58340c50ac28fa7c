/// Every object loaded from the input, in input order: the raw material of an ``AccessGraph``.
///
/// Input order matters only for the witness named in an "allowed by" reason, exactly as list
/// order does in the API server.
public struct Cluster: Sendable {
    public var roles: [Role] = []
    public var bindings: [Binding] = []
    public var serviceAccounts: [ServiceAccount] = []
    public var namespaces: [Namespace] = []
    public var secrets: [SecretMetadata] = []
    public var workloads: [Workload] = []
    /// API server configuration documents found among the manifests.
    public var encryptionConfigurations: [EncryptionConfiguration] = []
    public var auditPolicies: [AuditPolicy] = []
    /// The Kubernetes version the answers assume (`v1.24.0-alpha.1`): the built-in policy's
    /// version merged into the input (``mergeBuiltinPolicy(_:)``); `nil` when unknown (no
    /// built-in policy). Some behaviour depends on it: before 1.35, `get` on pods/exec,
    /// pods/attach and pods/portforward opens the stream (a WebSocket upgrade).
    public var kubernetesVersion: String?
    /// Secrets outside Kubernetes: Vault roles and policies, External Secrets Operator and
    /// Secrets Store CSI objects (docs/external-secrets.md).
    public var external = ExternalInventory()

    public init(
        roles: [Role] = [], bindings: [Binding] = [], serviceAccounts: [ServiceAccount] = [],
        namespaces: [Namespace] = [], secrets: [SecretMetadata] = [], workloads: [Workload] = []
    ) {
        self.roles = roles
        self.bindings = bindings
        self.serviceAccounts = serviceAccounts
        self.namespaces = namespaces
        self.secrets = secrets
        self.workloads = workloads
    }

    /// Appends every object of `other`, keeping order.
    public mutating func append(contentsOf other: Cluster) {
        roles += other.roles
        bindings += other.bindings
        serviceAccounts += other.serviceAccounts
        namespaces += other.namespaces
        secrets += other.secrets
        workloads += other.workloads
        encryptionConfigurations += other.encryptionConfigurations
        auditPolicies += other.auditPolicies
        external.append(contentsOf: other.external)
    }

    /// The number of objects of every kind.
    public var objectCount: Int {
        roles.count + bindings.count + serviceAccounts.count + namespaces.count + secrets.count
            + workloads.count + encryptionConfigurations.count + auditPolicies.count + external.objectCount
    }
}
