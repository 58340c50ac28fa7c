/// The kinds of step a privilege path is made of: the permission steps of `docs/paths.md`, plus the
/// structural steps that connect them.
public enum EscalationKind: String, CaseIterable, Hashable, Sendable, Codable {
    // Steps granted by permissions (docs/paths.md, "Permission steps").
    case secretsRead = "secrets-read"
    case podCreate = "pod-create"
    case workloadCreate = "workload-create"
    case workloadUpdate = "workload-update"
    case podUpdate = "pod-update"
    case podExec = "pod-exec"
    case ephemeralContainer = "ephemeral-container"
    case tokenRequest = "token-request"
    case tokenSecret = "token-secret"
    case bind
    case escalate
    case impersonate
    case csrApprove = "csr-approve"
    case nodeProxy = "node-proxy"
    case webhookConfig = "webhook-config"
    case namespacePSA = "namespace-psa"
    case pvCreate = "pv-create"
    case awsAuth = "aws-auth"
    case rbacWildcard = "rbac-wildcard"
    case publicBinding = "public-binding"
    // Structural steps.
    /// An identity is in a group (service accounts in their three groups).
    case memberOf = "member-of"
    /// `system:masters` is allowed everything.
    case systemMasters = "system-masters"
    /// Running a pod as a service account of its namespace.
    case runAs = "run-as"
    /// Mounting the namespace's secrets into a pod.
    case mountSecrets = "mount-secrets"
    /// A privileged or hostPath pod takes over its node.
    case privilegedPod = "privileged-pod"
    /// A running pod that shares its node's PID, network or IPC namespace may take over its node.
    case hostNamespacePod = "host-namespace-pod"
    /// A legacy token Secret holds a service account's token.
    case readToken = "read-token"
    /// A node controlled holds the tokens of the pods running there.
    case nodePods = "node-pods"
    /// A node that runs control-plane pods gives full authority.
    case controlPlaneNode = "control-plane-node"
    /// A running pod that reaches its node (privileged, hostPath, host namespaces) and is
    /// pinned by `spec.nodeName` to a node running a control-plane pod gives full authority.
    case controlPlanePod = "control-plane-pod"
    /// What holds in every namespace holds in each.
    case everyNamespace = "every-namespace"
    /// Any service account of a namespace includes each one.
    case eachServiceAccount = "each-service-account"
    /// A running pod holds its service account's token.
    case podToken = "pod-token"
    /// A running pod reads the secrets it mounts or takes as environment variables.
    case podSecret = "pod-secret"
    /// An existing workload's pod template decides which service account its pods run as.
    case podTemplate = "pod-template"
    /// Everything in a namespace includes running pods and reading secrets there.
    case namespaceAdmin = "namespace-admin"
    /// All the secrets of a namespace include each one.
    case containsSecret = "contains-secret"

    /// Whether the step comes from a permission (and so has RBAC evidence).
    public var isGranted: Bool {
        switch self {
        case .memberOf, .systemMasters, .runAs, .mountSecrets, .privilegedPod, .hostNamespacePod, .readToken, .nodePods,
            .controlPlaneNode, .controlPlanePod, .everyNamespace, .eachServiceAccount, .podToken, .podSecret, .podTemplate, .namespaceAdmin,
            .containsSecret, .publicBinding:
            return false
        default: return true
        }
    }
}
