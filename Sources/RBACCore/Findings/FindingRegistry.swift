extension FindingRule {
    /// Every rule, in report order. Ids are stable: never rename one, only add.
    public static let all: [FindingRule] = [
        .fullAuthority, .escalationPath, .escalationGrant, .secretsRead, .wildcardRule, .broadNonResourceURLs,
        .publicBinding, .clusterAdminBinding, .defaultServiceAccountPermissions,
        .missingRole, .subjectMatchesNobody, .absentServiceAccount, .unboundRole, .redundantRule, .emptyAggregation,
        .secretInEnv, .legacyTokenSecret, .automountUnusedToken,
        .encryptionIdentityFirst, .encryptionMissingSecrets, .encryptionStaticKey,
        .auditLogsSecretValues, .auditIgnoresSecrets,
        .portForward, .deleteEvents, .broadDelete, .heldBindEscalate, .namespaceAdministrator, .clusterConfigHijack,
        .rbacInDefault, .dashboardAccess, .workloadDangerousIdentity,
        .clusterStoreAllNamespaces, .vaultRoleWildcard, .storeCredentialsReadable, .externalSecretInEnv, .vaultPolicyBroadWrite,
    ]

    /// The rule with this id.
    public static func rule(id: String) -> FindingRule? { all.first { $0.id == id } }
}

/// Runs rules over a graph.
public enum FindingEngine {
    /// Every finding of `rules`, most severe first, then by rule order and object.
    public static func run(_ context: ReportContext, rules: [FindingRule] = FindingRule.all) -> [Finding] {
        let out = rules.flatMap { $0.findings(in: context) }
        let orderOf = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        return out.sorted { a, b in
            if a.severity != b.severity { return a.severity > b.severity }
            let oa = orderOf[a.ruleID] ?? 0, ob = orderOf[b.ruleID] ?? 0
            if oa != ob { return oa < ob }
            return (a.object.description, a.principal ?? "", a.message) < (b.object.description, b.principal ?? "", b.message)
        }
    }
}
