// Every row of ESCALATION.md as a step of the escalation graph: for each, the smallest cluster
// that allows it, the step it gives (kind, target, certain or conditional), and the grants the
// step names as its evidence (binding → role, rule, and what the rule was needed for). Then the
// near misses: permissions that look alike but give nothing.

import RBACCore
import Testing

/// alice holds `rules` in namespace dev, through RoleBinding dev/grant → Role dev/granted.
/// `roles` come first in the input (so the first has index 0).
func grantedInDev(
    _ rules: [PolicyRule], roles: [Role] = [], bindings: [Binding] = [], serviceAccounts: [ServiceAccount] = [],
    secrets: [SecretMetadata] = [], workloads: [Workload] = []
) -> Cluster {
    Cluster(
        roles: roles + [role("dev", "granted", rules)],
        bindings: bindings + [roleBinding("dev", "grant", to: "granted", kind: "Role", [.user("alice")])],
        serviceAccounts: serviceAccounts, secrets: secrets, workloads: workloads)
}

/// alice holds `rules` cluster-wide, through ClusterRoleBinding grant → ClusterRole granted.
func grantedClusterWide(
    _ rules: [PolicyRule], roles: [Role] = [], bindings: [Binding] = [], serviceAccounts: [ServiceAccount] = [],
    secrets: [SecretMetadata] = [], workloads: [Workload] = []
) -> Cluster {
    Cluster(
        roles: roles + [clusterRole("granted", rules)],
        bindings: bindings + [clusterRoleBinding("grant", to: "granted", [.user("alice")])],
        serviceAccounts: serviceAccounts, secrets: secrets, workloads: workloads)
}

let inDev = "RoleBinding/dev/grant → Role/dev/granted"
let clusterWide = "ClusterRoleBinding/grant → ClusterRole/granted"

/// One step alice must get.
struct StepCase: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var cluster: Cluster
    var kind: EscalationKind
    var to: PathNode
    /// `nil`: the step is certain; otherwise words of its condition.
    var condition: String? = nil
    /// The evidence, as `because` lines.
    var because: [String]
}

/// Permissions that must give alice no step of `kind` (when given) and no path to `target`.
struct MissCase: Sendable, CustomTestStringConvertible {
    var testDescription: String
    var cluster: Cluster
    var kind: EscalationKind?
    var target: PathTarget
    /// alice may run pods somewhere, so taking over a node stays possible: the only paths
    /// left go through the nodes, conditionally.
    var runsPods = false
}

@Suite("Privilege paths: one step per ESCALATION.md row")
struct PathsStepTests {
    static let clusterAdmin = clusterRole("cluster-admin", [rule(["*"], groups: ["*"], resources: ["*"])])
    static let devAdmin = role("dev", "admin", [rule(["*"], groups: ["*"], resources: ["*"])])

    static let secretsRead: [StepCase] = [
        StepCase(
            testDescription: "list secrets reveals every secret of the namespace",
            cluster: grantedInDev([rule(["list"], resources: ["secrets"])]),
            kind: .secretsRead, to: .secrets(in: .namespace("dev")), because: ["\(inDev) rule 0: list secrets"]),
        StepCase(
            testDescription: "watch secrets reveals them as list does",
            cluster: grantedInDev([rule(["watch"], resources: ["secrets"])]),
            kind: .secretsRead, to: .secrets(in: .namespace("dev")), because: ["\(inDev) rule 0: watch secrets"]),
        StepCase(
            testDescription: "get secrets without resourceNames needs the names: conditional",
            cluster: grantedInDev([rule(["get"], resources: ["secrets"])]),
            kind: .secretsRead, to: .secrets(in: .namespace("dev")), condition: "names are known",
            because: ["\(inDev) rule 0: get secrets"]),
        StepCase(
            testDescription: "get secrets with resourceNames reads the named secret",
            cluster: grantedInDev([rule(["get"], resources: ["secrets"], names: ["db-pass"])]),
            kind: .secretsRead, to: .secret(namespace: "dev", name: "db-pass"),
            because: ["\(inDev) rule 0: get secrets db-pass"]),
        StepCase(
            testDescription: "resourceNames on one rule do not narrow another rule of the role",
            cluster: grantedInDev([rule(["get"], resources: ["secrets"], names: ["db-pass"]), rule(["list"], resources: ["secrets"])]),
            kind: .secretsRead, to: .secrets(in: .namespace("dev")), because: ["\(inDev) rule 1: list secrets"]),
        StepCase(
            testDescription: "list secrets through a ClusterRoleBinding reads every namespace",
            cluster: grantedClusterWide([rule(["list"], resources: ["secrets"])]),
            kind: .secretsRead, to: .secrets(in: .everyNamespace), because: ["\(clusterWide) rule 0: list secrets"]),
    ]

    static let podCreate: [StepCase] = [
        StepCase(
            testDescription: "create pods runs pods in the namespace",
            cluster: grantedInDev([rule(["create"], resources: ["pods"])]),
            kind: .podCreate, to: .runPods(in: .namespace("dev")), because: ["\(inDev) rule 0: create pods"]),
        StepCase(
            testDescription: "create pods through a ClusterRoleBinding runs pods everywhere",
            cluster: grantedClusterWide([rule(["create"], resources: ["pods"])]),
            kind: .podCreate, to: .runPods(in: .everyNamespace), because: ["\(clusterWide) rule 0: create pods"]),
    ]

    /// Every workload resource, in its own API group.
    static let workloadCreate: [StepCase] = [
        ("apps", "deployments"), ("apps", "replicasets"), ("apps", "statefulsets"), ("apps", "daemonsets"),
        ("batch", "jobs"), ("batch", "cronjobs"), ("", "replicationcontrollers"),
    ].map { group, resource in
        StepCase(
            testDescription: "create \(resource) in group \"\(group)\" runs pods",
            cluster: grantedInDev([rule(["create"], groups: [group], resources: [resource])]),
            kind: .workloadCreate, to: .runPods(in: .namespace("dev")),
            because: ["\(inDev) rule 0: create \(resource)\(group.isEmpty ? "" : "." + group)"])
    }

    static let workloadUpdate: [StepCase] = [
        StepCase(
            testDescription: "update deployments reaches the pod templates of the namespace's Deployments",
            cluster: grantedInDev([rule(["update"], groups: ["apps"], resources: ["deployments"])], workloads: [workload("Deployment", "dev", "web")]),
            kind: .workloadUpdate, to: .workloads(kind: "Deployment", in: .namespace("dev")),
            because: ["\(inDev) rule 0: update deployments.apps"]),
        StepCase(
            testDescription: "patch cronjobs reaches the CronJobs' pod templates",
            cluster: grantedInDev([rule(["patch"], groups: ["batch"], resources: ["cronjobs"])], workloads: [workload("CronJob", "dev", "nightly")]),
            kind: .workloadUpdate, to: .workloads(kind: "CronJob", in: .namespace("dev")),
            because: ["\(inDev) rule 0: patch cronjobs.batch"]),
        StepCase(
            testDescription: "patch one named Deployment that exists runs pods in its namespace",
            cluster: grantedInDev(
                [rule(["patch"], groups: ["apps"], resources: ["deployments"], names: ["web"])],
                workloads: [workload("Deployment", "dev", "web")]),
            kind: .workloadUpdate, to: .runPods(in: .namespace("dev")),
            because: ["\(inDev) rule 0: patch deployments.apps web (Deployment dev/web exists)"]),
    ]

    static let runningPods: [StepCase] = [
        StepCase(
            testDescription: "update pods replaces a running pod's image",
            cluster: grantedInDev([rule(["update"], resources: ["pods"])]),
            kind: .podUpdate, to: .runningPods(in: .namespace("dev")), because: ["\(inDev) rule 0: update pods"]),
        StepCase(
            testDescription: "patch pods as well",
            cluster: grantedInDev([rule(["patch"], resources: ["pods"])]),
            kind: .podUpdate, to: .runningPods(in: .namespace("dev")), because: ["\(inDev) rule 0: patch pods"]),
        StepCase(
            testDescription: "create pods/exec opens a shell in running pods",
            cluster: grantedInDev([rule(["create"], resources: ["pods/exec"])]),
            kind: .podExec, to: .runningPods(in: .namespace("dev")), because: ["\(inDev) rule 0: create pods/exec"]),
        StepCase(
            testDescription: "create pods/attach too",
            cluster: grantedInDev([rule(["create"], resources: ["pods/attach"])]),
            kind: .podExec, to: .runningPods(in: .namespace("dev")), because: ["\(inDev) rule 0: create pods/attach"]),
        StepCase(
            testDescription: "exec into one named pod acts as that pod's service account, as the input shows",
            cluster: grantedInDev([rule(["create"], resources: ["pods/exec"], names: ["api-0"])], workloads: [pod("dev", "api-0", as: "api")]),
            kind: .podExec, to: .serviceAccount(namespace: "dev", name: "api"), condition: "pod dev/api-0 runs as api",
            because: ["\(inDev) rule 0: create pods/exec api-0"]),
        StepCase(
            testDescription: "patch pods/ephemeralcontainers adds a debug container to running pods",
            cluster: grantedInDev([rule(["patch"], resources: ["pods/ephemeralcontainers"])]),
            kind: .ephemeralContainer, to: .runningPods(in: .namespace("dev")),
            because: ["\(inDev) rule 0: patch pods/ephemeralcontainers"]),
        StepCase(
            testDescription: "*/ephemeralcontainers matches the subresource of pods",
            cluster: grantedInDev([rule(["update"], resources: ["*/ephemeralcontainers"])]),
            kind: .ephemeralContainer, to: .runningPods(in: .namespace("dev")),
            because: ["\(inDev) rule 0: update pods/ephemeralcontainers"]),
    ]

    static let tokens: [StepCase] = [
        StepCase(
            testDescription: "create serviceaccounts/token mints a token for any service account of the namespace",
            cluster: grantedInDev([rule(["create"], resources: ["serviceaccounts/token"])]),
            kind: .tokenRequest, to: .anyServiceAccount(in: .namespace("dev")),
            because: ["\(inDev) rule 0: create serviceaccounts/token"]),
        StepCase(
            testDescription: "create serviceaccounts/token with resourceNames mints only those",
            cluster: grantedInDev(
                [rule(["create"], resources: ["serviceaccounts/token"], names: ["deployer"])],
                serviceAccounts: [ServiceAccount(namespace: "dev", name: "deployer")]),
            kind: .tokenRequest, to: .serviceAccount(namespace: "dev", name: "deployer"),
            because: ["\(inDev) rule 0: create serviceaccounts/token deployer"]),
        StepCase(
            testDescription: "create secrets plus get secrets: a new legacy token secret, read back",
            cluster: grantedInDev([rule(["create"], resources: ["secrets"]), rule(["get"], resources: ["secrets"])]),
            kind: .tokenSecret, to: .anyServiceAccount(in: .namespace("dev")),
            because: ["\(inDev) rule 0: create secrets", "\(inDev) rule 1: get secrets"]),
        StepCase(
            testDescription: "create secrets plus create pods: the token secret, mounted in a pod",
            cluster: grantedInDev([rule(["create"], resources: ["secrets", "pods"])]),
            kind: .tokenSecret, to: .anyServiceAccount(in: .namespace("dev")),
            because: ["\(inDev) rule 0: create secrets", "\(inDev) rule 0: create pods"]),
    ]

    static let rbac: [StepCase] = [
        StepCase(
            testDescription: "create clusterrolebindings plus bind cluster-admin: hold cluster-admin cluster-wide",
            cluster: grantedClusterWide(
                [rule(["create"], groups: [rbacGroup], resources: ["clusterrolebindings"]),
                 rule(["bind"], groups: [rbacGroup], resources: ["clusterroles"], names: ["cluster-admin"])],
                roles: [clusterAdmin]),
            kind: .bind, to: .holder(role: RoleID(0), in: .cluster),
            because: [
                "\(clusterWide) rule 0: create clusterrolebindings.rbac.authorization.k8s.io",
                "\(clusterWide) rule 1: bind clusterroles.rbac.authorization.k8s.io cluster-admin",
            ]),
        StepCase(
            testDescription: "create rolebindings plus bind roles: hold a Role of the namespace there",
            cluster: grantedInDev(
                [rule(["create"], groups: [rbacGroup], resources: ["rolebindings"]), rule(["bind"], groups: [rbacGroup], resources: ["roles"])],
                roles: [devAdmin]),
            kind: .bind, to: .holder(role: RoleID(0), in: .namespace("dev")),
            because: [
                "\(inDev) rule 0: create rolebindings.rbac.authorization.k8s.io",
                "\(inDev) rule 1: bind roles.rbac.authorization.k8s.io",
            ]),
        StepCase(
            testDescription: "create rolebindings plus bind clusterroles in a namespace: hold the ClusterRole there",
            cluster: grantedInDev(
                [rule(["create"], groups: [rbacGroup], resources: ["rolebindings"]), rule(["bind"], groups: [rbacGroup], resources: ["clusterroles"])],
                roles: [clusterAdmin]),
            kind: .bind, to: .holder(role: RoleID(0), in: .namespace("dev")),
            because: [
                "\(inDev) rule 0: create rolebindings.rbac.authorization.k8s.io",
                "\(inDev) rule 1: bind clusterroles.rbac.authorization.k8s.io",
            ]),
        StepCase(
            testDescription: "escalate plus update on the ClusterRole bound to oneself: full authority",
            cluster: grantedClusterWide([rule(["escalate", "update"], groups: [rbacGroup], resources: ["clusterroles"], names: ["granted"])]),
            kind: .escalate, to: .fullAuthority,
            because: [
                "\(clusterWide) rule 0: escalate clusterroles.rbac.authorization.k8s.io granted",
                "\(clusterWide) rule 0: update clusterroles.rbac.authorization.k8s.io granted",
            ]),
        StepCase(
            testDescription: "escalate plus patch on the Role bound to oneself: everything in its namespace",
            cluster: grantedInDev([rule(["escalate", "patch"], groups: [rbacGroup], resources: ["roles"])]),
            kind: .escalate, to: .namespaceAuthority("dev"),
            because: [
                "\(inDev) rule 0: escalate roles.rbac.authorization.k8s.io granted",
                "\(inDev) rule 0: patch roles.rbac.authorization.k8s.io granted",
            ]),
        StepCase(
            testDescription: "escalate plus update on an empty ClusterRole bound to oneself: it can be filled",
            cluster: grantedClusterWide(
                [rule(["escalate", "update"], groups: [rbacGroup], resources: ["clusterroles"], names: ["placeholder"])],
                roles: [clusterRole("placeholder", [])],
                bindings: [clusterRoleBinding("placeholder", to: "placeholder", [.user("alice")])]),
            kind: .escalate, to: .fullAuthority,
            because: [
                "\(clusterWide) rule 0: escalate clusterroles.rbac.authorization.k8s.io placeholder",
                "\(clusterWide) rule 0: update clusterroles.rbac.authorization.k8s.io placeholder",
            ]),
        StepCase(
            testDescription: "escalate plus update on Roles everywhere, for a Role bound to oneself in one namespace",
            cluster: Cluster(
                roles: [
                    clusterRole("role-editor", [rule(["escalate", "update"], groups: [rbacGroup], resources: ["roles"])]),
                    role("dev", "granted", [rule(["get"], resources: ["configmaps"])]),
                ],
                bindings: [
                    clusterRoleBinding("role-editor", to: "role-editor", [.user("alice")]),
                    roleBinding("dev", "grant", to: "granted", kind: "Role", [.user("alice")]),
                ]),
            kind: .escalate, to: .namespaceAuthority("dev"),
            because: [
                "ClusterRoleBinding/role-editor → ClusterRole/role-editor rule 0: escalate roles.rbac.authorization.k8s.io granted",
                "ClusterRoleBinding/role-editor → ClusterRole/role-editor rule 0: update roles.rbac.authorization.k8s.io granted",
            ]),
        StepCase(
            testDescription: "escalate, create roles, create rolebindings and bind roles everywhere: a new Role in any namespace",
            cluster: grantedClusterWide([
                rule(["escalate", "create"], groups: [rbacGroup], resources: ["roles"]),
                rule(["create"], groups: [rbacGroup], resources: ["rolebindings"]),
                rule(["bind"], groups: [rbacGroup], resources: ["roles"]),
            ]),
            kind: .escalate, to: .runPods(in: .everyNamespace),
            because: [
                "\(clusterWide) rule 0: escalate roles.rbac.authorization.k8s.io",
                "\(clusterWide) rule 0: create roles.rbac.authorization.k8s.io",
                "\(clusterWide) rule 1: create rolebindings.rbac.authorization.k8s.io",
                "\(clusterWide) rule 2: bind roles.rbac.authorization.k8s.io",
            ]),
        StepCase(
            testDescription: "bind limited to a name no Role has: create that Role with any rule and bind it",
            cluster: grantedInDev([
                rule(["escalate", "create"], groups: [rbacGroup], resources: ["roles"]),
                rule(["create"], groups: [rbacGroup], resources: ["rolebindings"]),
                rule(["bind"], groups: [rbacGroup], resources: ["roles"], names: ["mine"]),
            ]),
            kind: .escalate, to: .namespaceAuthority("dev"),
            because: [
                "\(inDev) rule 0: escalate roles.rbac.authorization.k8s.io",
                "\(inDev) rule 0: create roles.rbac.authorization.k8s.io",
                "\(inDev) rule 1: create rolebindings.rbac.authorization.k8s.io",
                "\(inDev) rule 2: bind roles.rbac.authorization.k8s.io mine",
            ]),
        StepCase(
            testDescription: "bind limited to the name of an existing ClusterRole one may escalate and update: fill it and bind it",
            cluster: grantedClusterWide(
                [
                    rule(["escalate", "update"], groups: [rbacGroup], resources: ["clusterroles"], names: ["mine"]),
                    rule(["create"], groups: [rbacGroup], resources: ["clusterrolebindings"]),
                    rule(["bind"], groups: [rbacGroup], resources: ["clusterroles"], names: ["mine"]),
                ],
                roles: [clusterRole("mine", [])]),
            kind: .escalate, to: .fullAuthority,
            because: [
                "\(clusterWide) rule 0: escalate clusterroles.rbac.authorization.k8s.io mine",
                "\(clusterWide) rule 0: update clusterroles.rbac.authorization.k8s.io mine",
                "\(clusterWide) rule 1: create clusterrolebindings.rbac.authorization.k8s.io",
                "\(clusterWide) rule 2: bind clusterroles.rbac.authorization.k8s.io mine",
            ]),
        StepCase(
            testDescription: "escalate plus create clusterroles, create clusterrolebindings and bind: a new role with any rule",
            cluster: grantedClusterWide([
                rule(["escalate", "create"], groups: [rbacGroup], resources: ["clusterroles"]),
                rule(["create"], groups: [rbacGroup], resources: ["clusterrolebindings"]),
                rule(["bind"], groups: [rbacGroup], resources: ["clusterroles"]),
            ]),
            kind: .escalate, to: .fullAuthority,
            because: [
                "\(clusterWide) rule 0: escalate clusterroles.rbac.authorization.k8s.io",
                "\(clusterWide) rule 0: create clusterroles.rbac.authorization.k8s.io",
                "\(clusterWide) rule 1: create clusterrolebindings.rbac.authorization.k8s.io",
                "\(clusterWide) rule 2: bind clusterroles.rbac.authorization.k8s.io",
            ]),
        StepCase(
            testDescription: "verbs * on resources * in apiGroups * cluster-wide is full authority",
            cluster: grantedClusterWide([rule(["*"], groups: ["*"], resources: ["*"])]),
            kind: .rbacWildcard, to: .fullAuthority, because: ["\(clusterWide) rule 0: * *.*"]),
        StepCase(
            testDescription: "verbs * on resources * through a RoleBinding is everything in its namespace",
            cluster: grantedInDev([rule(["*"], groups: ["*"], resources: ["*"])]),
            kind: .rbacWildcard, to: .namespaceAuthority("dev"), because: ["\(inDev) rule 0: * *.*"]),
    ]

    static let impersonation: [StepCase] = [
        StepCase(
            testDescription: "impersonate users acts as any user the input names",
            cluster: grantedClusterWide([rule(["impersonate"], resources: ["users"])], bindings: [clusterRoleBinding("b", to: "none", [.user("bob")])]),
            kind: .impersonate, to: .user("bob"), because: ["\(clusterWide) rule 0: impersonate users"]),
        StepCase(
            testDescription: "impersonate one named user",
            cluster: grantedClusterWide([rule(["impersonate"], resources: ["users"], names: ["bob"])], bindings: [clusterRoleBinding("b", to: "none", [.user("bob")])]),
            kind: .impersonate, to: .user("bob"), because: ["\(clusterWide) rule 0: impersonate users bob"]),
        StepCase(
            testDescription: "impersonate users and group system:masters: full authority",
            cluster: grantedClusterWide([rule(["impersonate"], resources: ["users", "groups"])]),
            kind: .impersonate, to: .fullAuthority,
            because: ["\(clusterWide) rule 0: impersonate groups", "\(clusterWide) rule 0: impersonate users"]),
        StepCase(
            testDescription: "impersonate a service account (which may send groups too) and group system:masters",
            cluster: grantedClusterWide([
                rule(["impersonate"], resources: ["groups"], names: ["system:masters"]),
                rule(["impersonate"], resources: ["serviceaccounts"], names: ["robot"]),
            ]),
            kind: .impersonate, to: .fullAuthority,
            because: ["\(clusterWide) rule 0: impersonate groups system:masters", "\(clusterWide) rule 1: impersonate serviceaccounts robot"]),
        StepCase(
            testDescription: "impersonate serviceaccounts in a namespace acts as any of them",
            cluster: grantedInDev([rule(["impersonate"], resources: ["serviceaccounts"])]),
            kind: .impersonate, to: .anyServiceAccount(in: .namespace("dev")), because: ["\(inDev) rule 0: impersonate serviceaccounts"]),
        StepCase(
            testDescription: "impersonate one named service account",
            cluster: grantedInDev(
                [rule(["impersonate"], resources: ["serviceaccounts"], names: ["deployer"])],
                serviceAccounts: [ServiceAccount(namespace: "dev", name: "deployer")]),
            kind: .impersonate, to: .serviceAccount(namespace: "dev", name: "deployer"),
            because: ["\(inDev) rule 0: impersonate serviceaccounts deployer"]),
    ]

    static let clusterScoped: [StepCase] = [
        StepCase(
            testDescription: "create and approve CSRs for the kube-apiserver-client signer: a certificate in system:masters",
            cluster: grantedClusterWide([
                rule(["create"], groups: ["certificates.k8s.io"], resources: ["certificatesigningrequests"]),
                rule(["update"], groups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"]),
                rule(["approve"], groups: ["certificates.k8s.io"], resources: ["signers"], names: ["kubernetes.io/kube-apiserver-client"]),
            ]),
            kind: .csrApprove, to: .fullAuthority,
            because: [
                "\(clusterWide) rule 0: create certificatesigningrequests.certificates.k8s.io",
                "\(clusterWide) rule 1: update certificatesigningrequests/approval.certificates.k8s.io",
                "\(clusterWide) rule 2: approve signers.certificates.k8s.io kubernetes.io/kube-apiserver-client",
            ]),
        StepCase(
            testDescription: "approve on signer kubernetes.io/* covers the kube-apiserver-client signer",
            cluster: grantedClusterWide([
                rule(["create"], groups: ["certificates.k8s.io"], resources: ["certificatesigningrequests"]),
                rule(["patch"], groups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"]),
                rule(["approve"], groups: ["certificates.k8s.io"], resources: ["signers"], names: ["kubernetes.io/*"]),
            ]),
            kind: .csrApprove, to: .fullAuthority,
            because: [
                "\(clusterWide) rule 0: create certificatesigningrequests.certificates.k8s.io",
                "\(clusterWide) rule 1: patch certificatesigningrequests/approval.certificates.k8s.io",
                "\(clusterWide) rule 2: approve signers.certificates.k8s.io kubernetes.io/*",
            ]),
        StepCase(
            testDescription: "get nodes/proxy reaches the kubelets",
            cluster: grantedClusterWide([rule(["get"], resources: ["nodes/proxy"])]),
            kind: .nodeProxy, to: .nodes, because: ["\(clusterWide) rule 0: get nodes/proxy"]),
        StepCase(
            testDescription: "patch validatingwebhookconfigurations sees every admitted object",
            cluster: grantedClusterWide([rule(["patch"], groups: ["admissionregistration.k8s.io"], resources: ["validatingwebhookconfigurations"])]),
            kind: .webhookConfig, to: .fullAuthority,
            because: ["\(clusterWide) rule 0: patch validatingwebhookconfigurations.admissionregistration.k8s.io"]),
        StepCase(
            testDescription: "create mutatingwebhookconfigurations rewrites every admitted object",
            cluster: grantedClusterWide([rule(["create"], groups: ["admissionregistration.k8s.io"], resources: ["mutatingwebhookconfigurations"])]),
            kind: .webhookConfig, to: .fullAuthority,
            because: ["\(clusterWide) rule 0: create mutatingwebhookconfigurations.admissionregistration.k8s.io"]),
        StepCase(
            testDescription: "create persistentvolumes plus create pods: a hostPath volume in one's own pod",
            cluster: grantedClusterWide([rule(["create"], resources: ["persistentvolumes"]), rule(["create"], resources: ["pods"])]),
            kind: .pvCreate, to: .nodes, condition: "hostPath persistent volumes are admitted",
            because: ["\(clusterWide) rule 0: create persistentvolumes", "\(clusterWide) rule 1: create pods"]),
        StepCase(
            testDescription: "create persistentvolumes cluster-wide plus create pods in a namespace",
            cluster: Cluster(
                roles: [clusterRole("pv-maker", [rule(["create"], resources: ["persistentvolumes"])]), role("dev", "granted", [rule(["create"], resources: ["pods"])])],
                bindings: [
                    clusterRoleBinding("pv", to: "pv-maker", [.user("alice")]),
                    roleBinding("dev", "grant", to: "granted", kind: "Role", [.user("alice")]),
                ]),
            kind: .pvCreate, to: .nodes, condition: "hostPath persistent volumes are admitted",
            because: ["ClusterRoleBinding/pv → ClusterRole/pv-maker rule 0: create persistentvolumes", "\(inDev) rule 0: create pods"]),
        StepCase(
            testDescription: "update one's namespace plus create pods there: relax Pod Security, run a privileged pod",
            cluster: grantedInDev([rule(["update"], resources: ["namespaces"]), rule(["create"], resources: ["pods"])]),
            kind: .namespacePSA, to: .nodes, condition: "Pod Security admission is what keeps privileged pods out of dev",
            because: ["\(inDev) rule 0: update namespaces dev", "\(inDev) rule 1: create pods"]),
        StepCase(
            testDescription: "update configmap kube-system/aws-auth maps one's IAM identity to system:masters",
            cluster: Cluster(
                roles: [role("kube-system", "granted", [rule(["update"], resources: ["configmaps"], names: ["aws-auth"])])],
                bindings: [roleBinding("kube-system", "grant", to: "granted", kind: "Role", [.user("alice")])]),
            kind: .awsAuth, to: .fullAuthority, condition: "EKS",
            because: ["RoleBinding/kube-system/grant → Role/kube-system/granted rule 0: update configmaps aws-auth"]),
    ]

    @Test(
        "each permission pattern gives its step, with its certainty and evidence",
        arguments: secretsRead + podCreate + workloadCreate + workloadUpdate + runningPods + tokens + rbac + impersonation
            + clusterScoped)
    func step(_ c: StepCase) throws {
        let esc = EscalationGraph(AccessGraph(c.cluster))
        let found = esc.steps(from: aliceNode, c.kind)
        let step = try #require(found.first { esc.nodes[$0.to] == c.to }, "steps of that kind: \(found.map { esc.nodes[$0.to] })")
        #expect(esc.because(step) == c.because)
        if let words = c.condition {
            let condition = try #require(step.condition, "the step should be conditional")
            #expect(condition.text.contains(words), "\(condition.text)")
        } else {
            #expect(step.isCertain, "\(step.condition?.text ?? "")")
        }
    }

    // MARK: Near misses

    static let misses: [MissCase] = [
        MissCase(
            testDescription: "deployments in the core group are not apps deployments",
            cluster: grantedInDev([rule(["create"], groups: [""], resources: ["deployments", "daemonsets"])], serviceAccounts: [ServiceAccount(namespace: "dev", name: "ci")]),
            kind: .workloadCreate, target: target("sa:dev/ci")),
        MissCase(
            testDescription: "jobs in the apps group are not batch jobs",
            cluster: grantedInDev([rule(["create"], groups: ["apps"], resources: ["jobs", "cronjobs"])], serviceAccounts: [ServiceAccount(namespace: "dev", name: "ci")]),
            kind: .workloadCreate, target: target("sa:dev/ci")),
        MissCase(
            testDescription: "a RoleBinding to a ClusterRole that creates pods in dev gives nothing in prod",
            cluster: Cluster(
                roles: [clusterRole("pod-maker", [rule(["create"], resources: ["pods"])])],
                bindings: [roleBinding("dev", "grant", to: "pod-maker", kind: "ClusterRole", [.user("alice")])],
                serviceAccounts: [ServiceAccount(namespace: "prod", name: "api")]),
            kind: nil, target: target("sa:prod/api"), runsPods: true),
        MissCase(
            testDescription: "listing secrets in dev reads nothing in prod",
            cluster: grantedInDev([rule(["list"], resources: ["secrets"])], secrets: [SecretMetadata(namespace: "prod", name: "db-pass")]),
            kind: nil, target: target("secret:prod/db-pass")),
        MissCase(
            testDescription: "get secrets with resourceNames does not read another secret",
            cluster: grantedInDev(
                [rule(["get", "list"], resources: ["secrets"], names: ["tls-cert"])],
                secrets: [SecretMetadata(namespace: "dev", name: "tls-cert"), SecretMetadata(namespace: "dev", name: "db-pass")]),
            kind: nil, target: target("secret:dev/db-pass")),
        MissCase(
            testDescription: "create serviceaccounts/token with resourceNames mints no token for another",
            cluster: grantedInDev(
                [rule(["create"], resources: ["serviceaccounts/token"], names: ["ci"])],
                serviceAccounts: [ServiceAccount(namespace: "dev", name: "ci"), ServiceAccount(namespace: "dev", name: "admin")]),
            kind: nil, target: target("sa:dev/admin")),
        MissCase(
            testDescription: "create serviceaccounts is not create serviceaccounts/token",
            cluster: grantedInDev([rule(["create", "get"], resources: ["serviceaccounts"])], serviceAccounts: [ServiceAccount(namespace: "dev", name: "ci")]),
            kind: .tokenRequest, target: target("sa:dev/ci")),
        MissCase(
            testDescription: "create secrets without a way to read them back",
            cluster: grantedInDev([rule(["create"], resources: ["secrets"])], serviceAccounts: [ServiceAccount(namespace: "dev", name: "ci")]),
            kind: .tokenSecret, target: target("sa:dev/ci")),
        MissCase(
            testDescription: "pods/* is a literal: it is not pods/exec",
            cluster: grantedInDev([rule(["create", "patch"], resources: ["pods/*"])], workloads: [pod("dev", "api-0", as: "api")]),
            kind: nil, target: target("sa:dev/api")),
        MissCase(
            testDescription: "bind limited to the name of an existing Role one may not update: a new Role cannot take that name",
            cluster: grantedInDev(
                [
                    rule(["escalate", "create"], groups: [rbacGroup], resources: ["roles"]),
                    rule(["create"], groups: [rbacGroup], resources: ["rolebindings"]),
                    rule(["bind"], groups: [rbacGroup], resources: ["roles"], names: ["taken"]),
                ],
                roles: [role("dev", "taken", [rule(["get"], resources: ["configmaps"])])]),
            kind: .escalate, target: .permission(req("delete", "pods", ns: "dev", name: "x"))),
        MissCase(
            testDescription: "create rolebindings without bind",
            cluster: grantedInDev([rule(["create"], groups: [rbacGroup], resources: ["rolebindings"])], roles: [devAdmin]),
            kind: .bind, target: .permission(req("delete", "pods", ns: "dev", name: "x"))),
        MissCase(
            testDescription: "bind without create rolebindings",
            cluster: grantedInDev([rule(["bind"], groups: [rbacGroup], resources: ["roles", "clusterroles"])], roles: [devAdmin]),
            kind: .bind, target: .permission(req("delete", "pods", ns: "dev", name: "x"))),
        MissCase(
            testDescription: "bind limited by resourceNames to a harmless role: no path to cluster-admin",
            cluster: grantedClusterWide(
                [rule(["create"], groups: [rbacGroup], resources: ["clusterrolebindings", "rolebindings"]),
                 rule(["bind"], groups: [rbacGroup], resources: ["clusterroles"], names: ["view"])],
                roles: [clusterAdmin, clusterRole("view", [rule(["get", "list"], resources: ["pods"])])]),
            // The bind step exists, to the harmless role only: see `bindHarmlessRole`.
            kind: nil, target: .fullAuthority),
        MissCase(
            testDescription: "create clusterrolebindings plus bind roles: a ClusterRoleBinding cannot refer to a Role",
            cluster: grantedClusterWide(
                [rule(["create"], groups: [rbacGroup], resources: ["clusterrolebindings"]), rule(["bind"], groups: [rbacGroup], resources: ["roles"])],
                roles: [devAdmin]),
            kind: .bind, target: .permission(req("delete", "pods", ns: "dev", name: "x"))),
        MissCase(
            testDescription: "create clusterrolebindings and bind through a RoleBinding: cluster-scoped, so never allowed",
            cluster: grantedInDev(
                [rule(["create"], groups: [rbacGroup], resources: ["clusterrolebindings"]), rule(["bind"], groups: [rbacGroup], resources: ["clusterroles"])],
                roles: [clusterAdmin]),
            kind: nil, target: .fullAuthority),
        MissCase(
            testDescription: "escalate without update",
            cluster: grantedClusterWide([rule(["escalate", "get"], groups: [rbacGroup], resources: ["clusterroles"])]),
            kind: .escalate, target: .fullAuthority),
        MissCase(
            testDescription: "update without escalate",
            cluster: grantedClusterWide([rule(["update", "patch"], groups: [rbacGroup], resources: ["clusterroles"])]),
            kind: .escalate, target: .fullAuthority),
        MissCase(
            testDescription: "escalate and update on ClusterRoles through a RoleBinding: cluster-scoped, so never allowed",
            cluster: Cluster(
                roles: [clusterRole("granted", [rule(["escalate", "update"], groups: [rbacGroup], resources: ["clusterroles"])])],
                bindings: [roleBinding("dev", "grant", to: "granted", kind: "ClusterRole", [.user("alice")])]),
            kind: .escalate, target: .permission(req("delete", "pods", ns: "dev", name: "x"))),
        MissCase(
            testDescription: "escalate and update on a role that is not bound to oneself",
            cluster: grantedClusterWide(
                [rule(["escalate", "update"], groups: [rbacGroup], resources: ["clusterroles"], names: ["unbound"])],
                roles: [clusterRole("unbound", [rule(["get"], resources: ["pods"])])]),
            kind: .escalate, target: .fullAuthority),
        MissCase(
            testDescription: "approve CSRs on the kubelet-serving signer only",
            cluster: grantedClusterWide([
                rule(["create"], groups: ["certificates.k8s.io"], resources: ["certificatesigningrequests"]),
                rule(["update"], groups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"]),
                rule(["approve"], groups: ["certificates.k8s.io"], resources: ["signers"], names: ["kubernetes.io/kubelet-serving"]),
            ]),
            kind: .csrApprove, target: .fullAuthority),
        MissCase(
            testDescription: "approve CSRs without creating one",
            cluster: grantedClusterWide([
                rule(["update"], groups: ["certificates.k8s.io"], resources: ["certificatesigningrequests/approval"]),
                rule(["approve"], groups: ["certificates.k8s.io"], resources: ["signers"]),
            ]),
            kind: .csrApprove, target: .fullAuthority),
        MissCase(
            testDescription: "impersonation limited to one user does not reach another",
            cluster: grantedClusterWide(
                [rule(["impersonate"], resources: ["users"], names: ["bob"])],
                roles: [clusterAdmin],
                bindings: [clusterRoleBinding("admins", to: "cluster-admin", [.user("carol")]), clusterRoleBinding("b", to: "none", [.user("bob")])]),
            kind: nil, target: target("user:carol")),
        MissCase(
            testDescription: "impersonating group system:masters needs a user to impersonate as well",
            cluster: grantedClusterWide([rule(["impersonate"], resources: ["groups"])]),
            kind: .impersonate, target: .fullAuthority),
        MissCase(
            testDescription: "impersonate users and groups through a RoleBinding: users and groups are cluster-scoped",
            cluster: grantedInDev([rule(["impersonate"], groups: ["*"], resources: ["users", "groups"])]),
            kind: .impersonate, target: .fullAuthority),
        MissCase(
            testDescription: "webhook configurations through a RoleBinding: cluster-scoped, so never allowed",
            cluster: Cluster(
                roles: [clusterRole("granted", [rule(["*"], groups: ["admissionregistration.k8s.io"], resources: ["*"])])],
                bindings: [roleBinding("dev", "grant", to: "granted", kind: "ClusterRole", [.user("alice")])]),
            kind: .webhookConfig, target: .fullAuthority),
        MissCase(
            testDescription: "reading webhook configurations is not writing them",
            cluster: grantedClusterWide([rule(["get", "list", "watch"], groups: ["admissionregistration.k8s.io"], resources: ["*"])]),
            kind: .webhookConfig, target: .fullAuthority),
        MissCase(
            testDescription: "nodes/proxy through a RoleBinding: nodes are cluster-scoped",
            cluster: Cluster(
                roles: [clusterRole("granted", [rule(["get", "create"], resources: ["nodes/proxy"])])],
                bindings: [roleBinding("dev", "grant", to: "granted", kind: "ClusterRole", [.user("alice")])]),
            kind: .nodeProxy, target: .fullAuthority),
        MissCase(
            testDescription: "create persistentvolumes without creating pods",
            cluster: grantedClusterWide([rule(["create"], resources: ["persistentvolumes"])]),
            kind: .pvCreate, target: .fullAuthority),
        MissCase(
            testDescription: "update namespaces without creating pods",
            cluster: grantedInDev([rule(["update", "patch"], resources: ["namespaces"])]),
            kind: .namespacePSA, target: .fullAuthority),
        MissCase(
            testDescription: "update another namespace than the one pods can be created in",
            cluster: Cluster(
                roles: [
                    clusterRole("ns-editor", [rule(["update"], resources: ["namespaces"], names: ["prod"])]),
                    role("dev", "granted", [rule(["create"], resources: ["pods"])]),
                ],
                bindings: [
                    clusterRoleBinding("ns", to: "ns-editor", [.user("alice")]),
                    roleBinding("dev", "grant", to: "granted", kind: "Role", [.user("alice")]),
                ]),
            kind: .namespacePSA, target: .fullAuthority, runsPods: true),
        MissCase(
            testDescription: "aws-auth in another namespace than kube-system",
            cluster: grantedInDev([rule(["update", "patch"], resources: ["configmaps"], names: ["aws-auth"])]),
            kind: .awsAuth, target: .fullAuthority),
        MissCase(
            testDescription: "reading configmap aws-auth is not changing it",
            cluster: grantedClusterWide([rule(["get", "list", "watch", "create"], resources: ["configmaps"])]),
            kind: .awsAuth, target: .fullAuthority),
    ]

    /// `bind` limited to a harmless role is a step — to holding that role, which `can:`
    /// targets and who-can --effective count — and leads nowhere beyond it.
    @Test("bind limited by resourceNames: a step to the harmless role, and no further")
    func bindHarmlessRole() {
        let cluster = grantedClusterWide(
            [rule(["create"], groups: [rbacGroup], resources: ["clusterrolebindings", "rolebindings"]),
             rule(["bind"], groups: [rbacGroup], resources: ["clusterroles"], names: ["view"])],
            roles: [Self.clusterAdmin, clusterRole("view", [rule(["get", "list"], resources: ["pods"])])])
        let graph = AccessGraph(cluster)
        let esc = EscalationGraph(graph)
        let held = esc.steps(from: aliceNode, .bind).map { esc.nodes[$0.to] }
        let view = RoleID(graph.roles.firstIndex { $0.name == "view" }!)
        #expect(!held.isEmpty)
        #expect(held.allSatisfy { node in
            if case .holder(let role, _) = node { return role == view }
            return false
        })
        #expect(esc.paths(from: aliceNode, to: .fullAuthority, all: true).isEmpty)
        #expect(!esc.paths(from: aliceNode, to: .permission(req("list", "pods", ns: "dev"))).isEmpty)
    }

    @Test("look-alike permissions give no step and no path", arguments: misses)
    func miss(_ c: MissCase) {
        let esc = EscalationGraph(AccessGraph(c.cluster))
        if let kind = c.kind {
            #expect(esc.steps(from: aliceNode, kind).isEmpty, "\(esc.steps(from: aliceNode, kind).map { esc.nodes[$0.to] })")
        }
        let found = esc.paths(from: aliceNode, to: c.target, all: true)
        if c.runsPods {
            let nodes = esc.index(of: .nodes)
            #expect(!found.isEmpty)  // the node takeover, conditional
            for path in found {
                #expect(!path.isCertain, "\(esc.trail(path))")
                #expect(path.steps.contains { $0.to == nodes }, "\(esc.trail(path))")
            }
        } else {
            #expect(found.isEmpty, "\(found.map(esc.trail))")
        }
    }
}
