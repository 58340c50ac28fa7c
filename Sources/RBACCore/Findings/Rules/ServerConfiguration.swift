extension FindingRule {
    static let encryptionExampleIdentityFirst: Example = """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - identity: {}
              - aesgcm: {keys: [{name: key1, secret: c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/}]}
        """
    static let encryptionExampleKMSv2: Example = """
        apiVersion: apiserver.config.k8s.io/v1
        kind: EncryptionConfiguration
        resources:
          - resources: [secrets]
            providers:
              - kms: {apiVersion: v2, name: vault, endpoint: "unix:///var/run/kms.sock"}
              - identity: {}
        """

    /// Secrets are written unencrypted: the first provider is `identity`.
    public static let encryptionIdentityFirst = FindingRule(
        id: "encryption-identity-first", category: .secretsHygiene, severity: .high,
        title: "Secrets stored in plain text (identity provider first)",
        rationale: "The first provider encrypts every write. With `identity` first, secrets go to etcd in plain text, whatever providers follow; anyone with an etcd backup reads them.",
        remediation: "Put a KMS v2 provider first (then rewrite all secrets: `kubectl get secrets -A -o json | kubectl replace -f -`); keep `identity` last only to read old data.",
        triggeringExamples: [encryptionExampleIdentityFirst],
        nonTriggeringExamples: [encryptionExampleKMSv2],
        check: { thisRule, ctx in
            ctx.graph.encryptionConfigurations.compactMap { c in
                guard let entry = c.secretsEncryption, entry.providers.first?.type == "identity" else { return nil }
                return thisRule.finding(
                    severity: .high,
                    message: "EncryptionConfiguration lists identity first for secrets: new secrets are stored unencrypted",
                    object: ObjectRef(kind: "EncryptionConfiguration", name: "encryption-config", source: c.source),
                    evidence: ["providers: " + entry.providers.map(\.type).joined(separator: ", ")])
            }
        })

    /// The encryption configuration does not cover secrets.
    public static let encryptionMissingSecrets = FindingRule(
        id: "encryption-missing-secrets", category: .secretsHygiene, severity: .high,
        title: "Encryption at rest does not cover secrets",
        rationale: "Only the resources listed are encrypted; without `secrets` (or `*.*`), secrets are stored in plain text.",
        remediation: "Add `secrets` to a resources entry with a KMS v2 provider first.",
        triggeringExamples: [
            """
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
              - resources: [configmaps]
                providers: [{kms: {apiVersion: v2, name: vault, endpoint: "unix:///k.sock"}}]
            """
        ],
        nonTriggeringExamples: [encryptionExampleKMSv2],
        check: { thisRule, ctx in
            ctx.graph.encryptionConfigurations.compactMap { c in
                guard c.secretsEncryption == nil else { return nil }
                return thisRule.finding(
                    severity: .high,
                    message: "EncryptionConfiguration has no entry for secrets: they are stored unencrypted",
                    object: ObjectRef(kind: "EncryptionConfiguration", name: "encryption-config", source: c.source))
            }
        })

    /// Static keys in the configuration file instead of a KMS.
    public static let encryptionStaticKey = FindingRule(
        id: "encryption-static-key", category: .secretsHygiene, severity: .medium,
        title: "Secrets encrypted with a static key",
        rationale: "`aescbc`, `aesgcm` and `secretbox` keep the key in a file on every control-plane node, next to the data it protects; key rotation is manual. KMS v2 keeps keys in an external KMS (`aescbc` is also weak against padding-oracle attacks; KMS v1 is deprecated).",
        remediation: "Use a KMS v2 provider first for secrets.",
        triggeringExamples: [encryptionExampleIdentityFirst],
        nonTriggeringExamples: [encryptionExampleKMSv2],
        check: { thisRule, ctx in
            ctx.graph.encryptionConfigurations.compactMap { c in
                guard let entry = c.secretsEncryption else { return nil }
                let weak = entry.providers.filter {
                    ["aescbc", "aesgcm", "secretbox"].contains($0.type) || ($0.type == "kms" && $0.kmsAPIVersion != "v2")
                }
                guard !weak.isEmpty else { return nil }
                return thisRule.finding(
                    severity: .medium,
                    message: "EncryptionConfiguration encrypts secrets with \(weak.map { $0.type == "kms" ? "kms v1" : $0.type }.joined(separator: ", ")) rather than KMS v2",
                    object: ObjectRef(kind: "EncryptionConfiguration", name: "encryption-config", source: c.source))
            }
        })

    /// The level the first applicable audit rule gives a read of secrets by any user.
    static func auditLevelForSecrets(_ p: AuditPolicy, allUsersOnly: Bool) -> (level: String, rule: Int)? {
        for (i, r) in p.rules.enumerated() {
            if allUsersOnly && (!r.users.isEmpty || !r.userGroups.isEmpty) { continue }
            if !r.verbs.isEmpty && !r.verbs.contains("get") && !r.verbs.contains("list") && !r.verbs.contains("watch") { continue }
            if !r.nonResourceURLs.isEmpty && r.resources.isEmpty { continue }
            let matches = r.resources.isEmpty || r.resources.contains { gr in
                (gr.group.isEmpty || gr.group == "*") && (gr.resources.isEmpty || gr.resources.contains("secrets") || gr.resources.contains("*"))
            }
            if matches { return (r.level, i) }
        }
        return nil
    }

    static let auditPolicySecretsMetadata: Example = """
        apiVersion: audit.k8s.io/v1
        kind: Policy
        rules:
          - level: Metadata
            resources: [{group: "", resources: [secrets, configmaps]}]
          - level: RequestResponse
            resources: [{group: "", resources: [pods]}]
        """

    /// Secrets logged with their values.
    public static let auditLogsSecretValues = FindingRule(
        id: "audit-logs-secret-values", category: .secretsHygiene, severity: .high,
        title: "Audit policy logs secret values",
        rationale: "At `Request` or `RequestResponse` level the audit log holds request and response bodies: for secrets, their values. The audit log becomes a copy of every secret.",
        remediation: "Add a rule early in the policy logging secrets (and configmaps, tokenreviews) at `Metadata`.",
        triggeringExamples: [
            """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
              - level: RequestResponse
            """
        ],
        nonTriggeringExamples: [auditPolicySecretsMetadata],
        check: { thisRule, ctx in
            ctx.graph.auditPolicies.compactMap { p in
                guard let (level, i) = auditLevelForSecrets(p, allUsersOnly: false), level == "Request" || level == "RequestResponse"
                else { return nil }
                return thisRule.finding(
                    severity: .high,
                    message: "audit Policy rule \(i) logs secrets at \(level): their values end up in the audit log",
                    object: ObjectRef(kind: "Policy", name: "audit-policy", source: p.source))
            }
        })

    /// Secret access not audited.
    public static let auditIgnoresSecrets = FindingRule(
        id: "audit-ignores-secrets", category: .secretsHygiene, severity: .medium,
        title: "Audit policy does not log secret access",
        rationale: "Without an audit record of who read which secret, a leak cannot be traced and least-privilege reviews have no usage data.",
        remediation: "Log secrets at `Metadata` level for all users.",
        triggeringExamples: [
            """
            apiVersion: audit.k8s.io/v1
            kind: Policy
            rules:
              - level: None
                resources: [{group: "", resources: [secrets]}]
              - level: Metadata
            """
        ],
        nonTriggeringExamples: [auditPolicySecretsMetadata],
        check: { thisRule, ctx in
            ctx.graph.auditPolicies.compactMap { p in
                let found = auditLevelForSecrets(p, allUsersOnly: true)
                guard found.map({ $0.level == "None" }) ?? true else { return nil }
                return thisRule.finding(
                    severity: .medium,
                    message: found.map { "audit Policy rule \($0.rule) logs secret access at None" } ?? "no audit Policy rule logs secret access",
                    object: ObjectRef(kind: "Policy", name: "audit-policy", source: p.source))
            }
        })
}
