/// A permission that is a privilege-escalation step, or the part of one that names it: one row
/// of the escalation table (docs/paths.md lists the steps).
///
/// The privilege-path engine derives steps from these permissions (with the companions some
/// steps need: a binding to create beside `bind`, a pod to read a token secret back); pictures
/// mark a permission dangerous when it is one of these rows.
public struct EscalationPermission: Hashable, Sendable {
    /// The step it gives (or is part of).
    public var kind: EscalationKind
    /// Any of these verbs.
    public var verbs: [String]
    public var apiGroup: String
    /// The resource, with its subresource (`pods/exec`).
    public var resource: String
    /// When not empty, only these objects (a rule must name one of them).
    public var names: [String] = []
    /// In a few words, for people: `reads secrets`, `runs pods`.
    public var reason: String
}

extension EscalationPermission {
    /// The escalation table: each granted step's permissions.
    public static let table: [EscalationPermission] = {
        let rbac = "rbac.authorization.k8s.io"
        var rows: [EscalationPermission] = [
            .init(kind: .secretsRead, verbs: ["get", "list", "watch"], apiGroup: "", resource: "secrets", reason: "reads secrets"),
            .init(kind: .podCreate, verbs: ["create"], apiGroup: "", resource: "pods", reason: "runs pods"),
            .init(kind: .podUpdate, verbs: ["update", "patch"], apiGroup: "", resource: "pods", reason: "runs code in pods"),
            .init(kind: .podExec, verbs: ["create"], apiGroup: "", resource: "pods/exec", reason: "runs code in pods"),
            .init(kind: .podExec, verbs: ["create"], apiGroup: "", resource: "pods/attach", reason: "runs code in pods"),
            .init(kind: .ephemeralContainer, verbs: ["update", "patch"], apiGroup: "", resource: "pods/ephemeralcontainers", reason: "runs code in pods"),
            .init(kind: .tokenRequest, verbs: ["create"], apiGroup: "", resource: "serviceaccounts/token", reason: "mints service account tokens"),
            .init(kind: .tokenSecret, verbs: ["create"], apiGroup: "", resource: "secrets", reason: "creates token secrets"),
            .init(kind: .impersonate, verbs: ["impersonate"], apiGroup: "", resource: "users", reason: "escalation: impersonate"),
            .init(kind: .impersonate, verbs: ["impersonate"], apiGroup: "", resource: "groups", reason: "escalation: impersonate"),
            .init(kind: .impersonate, verbs: ["impersonate"], apiGroup: "", resource: "serviceaccounts", reason: "escalation: impersonate"),
            .init(kind: .bind, verbs: ["bind"], apiGroup: rbac, resource: "clusterroles", reason: "escalation: bind"),
            .init(kind: .bind, verbs: ["bind"], apiGroup: rbac, resource: "roles", reason: "escalation: bind"),
            .init(kind: .escalate, verbs: ["escalate"], apiGroup: rbac, resource: "clusterroles", reason: "escalation: escalate"),
            .init(kind: .escalate, verbs: ["escalate"], apiGroup: rbac, resource: "roles", reason: "escalation: escalate"),
            .init(kind: .csrApprove, verbs: ["update", "patch"], apiGroup: "certificates.k8s.io", resource: "certificatesigningrequests/approval", reason: "approves certificates"),
            .init(kind: .csrApprove, verbs: ["approve"], apiGroup: "certificates.k8s.io", resource: "signers", reason: "approves certificates"),
            .init(kind: .nodeProxy, verbs: ["get", "create"], apiGroup: "", resource: "nodes/proxy", reason: "kubelet API"),
            .init(kind: .webhookConfig, verbs: ["create", "update", "patch"], apiGroup: "admissionregistration.k8s.io", resource: "mutatingwebhookconfigurations", reason: "admission webhooks"),
            .init(kind: .webhookConfig, verbs: ["create", "update", "patch"], apiGroup: "admissionregistration.k8s.io", resource: "validatingwebhookconfigurations", reason: "admission webhooks"),
            .init(kind: .namespacePSA, verbs: ["update", "patch"], apiGroup: "", resource: "namespaces", reason: "relaxes Pod Security"),
            .init(kind: .pvCreate, verbs: ["create"], apiGroup: "", resource: "persistentvolumes", reason: "host volumes"),
            .init(kind: .awsAuth, verbs: ["update", "patch"], apiGroup: "", resource: "configmaps", names: ["aws-auth"], reason: "maps IAM identities (aws-auth)"),
        ]
        for w in KubernetesConventions.workloadResources {
            rows.append(.init(kind: .workloadCreate, verbs: ["create"], apiGroup: w.group, resource: w.resource, reason: "runs pods"))
            rows.append(.init(kind: .workloadUpdate, verbs: ["update", "patch"], apiGroup: w.group, resource: w.resource, reason: "runs pods"))
        }
        return rows
    }()

    /// Why a permission is dangerous, or `nil`: `wildcard` for a `*` verb, resource (`*`,
    /// `*/sub`) or API group (``EscalationKind/rbacWildcard`` when all three are), else the
    /// reason of the first row of ``table`` it grants. A row limited to named objects counts
    /// only when `resourceNames` names one of them.
    /// - Parameters:
    ///   - verbs: the verbs granted on the resource.
    ///   - resource: with its subresource (`pods/exec`).
    public static func danger(verbs: [String], apiGroup: String, resource: String, resourceNames: [String] = []) -> String? {
        if verbs.containsExactly("*") || resource.isExactly("*") || resource.hasExactPrefix("*/") || apiGroup.isExactly("*") {
            return "wildcard"
        }
        for row in table where row.apiGroup.isExactly(apiGroup) && row.resource.isExactly(resource) {
            guard row.verbs.contains(where: { verbs.containsExactly($0) }) else { continue }
            if !row.names.isEmpty && !row.names.contains(where: { resourceNames.containsExactly($0) }) { continue }
            return row.reason
        }
        return nil
    }
}
