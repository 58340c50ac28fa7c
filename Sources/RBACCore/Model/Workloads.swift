/// A ServiceAccount object.
public struct ServiceAccount: Hashable, Sendable {
    public var namespace: String
    public var name: String
    /// `automountServiceAccountToken`, when written.
    public var automountServiceAccountToken: Bool?
    /// Names listed under `secrets:` (legacy token secrets).
    public var secrets: [String]
    public var source: SourceLocation?

    public init(
        namespace: String, name: String, automountServiceAccountToken: Bool? = nil,
        secrets: [String] = [], source: SourceLocation? = nil
    ) {
        self.namespace = namespace
        self.name = name
        self.automountServiceAccountToken = automountServiceAccountToken
        self.secrets = secrets
        self.source = source
    }

    /// The user name of this service account's tokens: `system:serviceaccount:NS:NAME`.
    public var userName: String { serviceAccountName.userName }

    /// Its namespace and name.
    public var serviceAccountName: ServiceAccountName { ServiceAccountName(namespace: namespace, name: name) }
}

/// A Namespace object.
public struct Namespace: Hashable, Sendable {
    public var name: String
    public var labels: [String: String]
    public var source: SourceLocation?

    public init(name: String, labels: [String: String] = [:], source: SourceLocation? = nil) {
        self.name = name
        self.labels = labels
        self.source = source
    }
}

/// A Secret's metadata. The loader drops `data` and `stringData` while parsing: no secret
/// value ever reaches this type.
public struct SecretMetadata: Hashable, Sendable {
    public var namespace: String
    public var name: String
    /// `type`, e.g. `Opaque` or `kubernetes.io/service-account-token`.
    public var type: String
    /// Annotations, except `kubectl.kubernetes.io/last-applied-configuration` (which holds the
    /// values in plain text and is dropped by the loader).
    public var annotations: [String: String]
    public var source: SourceLocation?

    public init(
        namespace: String, name: String, type: String = "Opaque", annotations: [String: String] = [:],
        source: SourceLocation? = nil
    ) {
        self.namespace = namespace
        self.name = name
        self.type = type
        self.annotations = annotations
        self.source = source
    }

    /// For a legacy token secret, the service account it holds a token of.
    public var tokenServiceAccount: String? {
        guard type == "kubernetes.io/service-account-token" else { return nil }
        return annotations["kubernetes.io/service-account.name"]
    }
}

/// A reference from a pod spec to a Secret.
public struct SecretReference: Hashable, Sendable, Codable {
    public enum Usage: String, Hashable, Sendable, Codable {
        /// `env[].valueFrom.secretKeyRef`
        case env
        /// `envFrom[].secretRef`
        case envFrom
        /// `volumes[].secret`
        case volume
        /// `volumes[].projected.sources[].secret`
        case projectedVolume
        /// `imagePullSecrets[]`
        case imagePullSecret
    }
    public var name: String
    public var usage: Usage
    /// The container that uses it, for env and envFrom.
    public var container: String?

    public init(name: String, usage: Usage, container: String? = nil) {
        self.name = name
        self.usage = usage
        self.container = container
    }
}

/// What a Pod, or a workload's pod template, says about identity and secrets.
public struct PodTemplate: Hashable, Sendable {
    /// `serviceAccountName` (or the deprecated `serviceAccount`); `default` when neither is written.
    public var serviceAccountName: String
    public var automountServiceAccountToken: Bool?
    /// Whether a volume projects a `serviceAccountToken` source: the pod then holds a token
    /// of its service account whatever `automountServiceAccountToken` says.
    public var projectsServiceAccountToken: Bool
    public var secretReferences: [SecretReference]
    public var nodeName: String?
    public var hostPID: Bool
    public var hostNetwork: Bool
    public var hostIPC: Bool
    /// Whether any container asks for `securityContext.privileged: true`.
    public var privileged: Bool
    /// Whether any volume is a `hostPath`.
    public var hostPathVolumes: Bool
    /// The ConfigMaps its containers take through `env` (`configMapKeyRef`) and `envFrom`
    /// (`configMapRef`), with the container (for the ConfigMaps ExternalSecrets write,
    /// `target.manifest`).
    public var configMapEnvReferences: [SecretReference] = []
    /// The SecretProviderClasses of its `secrets-store.csi.k8s.io` volumes.
    public var secretProviderClasses: [String] = []
    /// Its `vault.hashicorp.com/…` annotations (the Vault Agent injector's).
    public var vaultAnnotations: [String: String] = [:]
    /// The External Secrets Operator's controller when a container runs it, with what its
    /// arguments say of `--unsafe-allow-generic-targets`.
    public var externalSecretsController: ExternalSecretsController?

    /// Whether the Vault Agent injector serves its pods (`vault.hashicorp.com/agent-inject:
    /// "true"`): its sidecar logs in to Vault with the pod's service account token.
    public var isVaultAgentInjected: Bool { vaultAnnotations["vault.hashicorp.com/agent-inject"] == "true" }

    public init(
        serviceAccountName: String = "default", automountServiceAccountToken: Bool? = nil,
        secretReferences: [SecretReference] = [], nodeName: String? = nil, hostPID: Bool = false,
        hostNetwork: Bool = false, hostIPC: Bool = false, privileged: Bool = false,
        hostPathVolumes: Bool = false, projectsServiceAccountToken: Bool = false
    ) {
        self.serviceAccountName = serviceAccountName
        self.automountServiceAccountToken = automountServiceAccountToken
        self.projectsServiceAccountToken = projectsServiceAccountToken
        self.secretReferences = secretReferences
        self.nodeName = nodeName
        self.hostPID = hostPID
        self.hostNetwork = hostNetwork
        self.hostIPC = hostIPC
        self.privileged = privileged
        self.hostPathVolumes = hostPathVolumes
    }

    /// Whether a pod of this template holds an API token of its service account, as the
    /// ServiceAccount admission plugin and the kubelet decide: a projected
    /// `serviceAccountToken` volume always mounts one; otherwise the pod's own
    /// `automountServiceAccountToken` wins over the ServiceAccount's, in both directions; when
    /// neither is written, the token is mounted.
    /// - Parameter serviceAccount: the pod's ServiceAccount object, when the input has it.
    public func mountsToken(serviceAccount: ServiceAccount?) -> Bool {
        projectsServiceAccountToken || (automountServiceAccountToken ?? serviceAccount?.automountServiceAccountToken ?? true)
    }
}

/// A Pod or a workload that creates pods (Deployment, ReplicaSet, StatefulSet, DaemonSet,
/// Job, CronJob, ReplicationController).
public struct Workload: Hashable, Sendable {
    /// The Kubernetes kind: `Pod`, `Deployment`, …
    public var kind: String
    public var namespace: String
    public var name: String
    public var template: PodTemplate
    public var source: SourceLocation?

    public init(kind: String, namespace: String, name: String, template: PodTemplate, source: SourceLocation? = nil) {
        self.kind = kind
        self.namespace = namespace
        self.name = name
        self.template = template
        self.source = source
    }

    /// The kinds the loader keeps as workloads.
    public static let kinds: Set<String> = [
        "Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob",
        "ReplicationController",
    ]
}
