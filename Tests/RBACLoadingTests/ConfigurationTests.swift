import RBACCore
import RBACLoading
import Testing

/// API server configuration documents the report inspects: encryption at rest and the audit
/// policy. Key material is never read.
@Suite("Loader: API server configuration")
struct ConfigurationTests {
    static let keyValue = "c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/"

    @Test("an EncryptionConfiguration keeps its providers in order, never its keys")
    func encryptionConfiguration() throws {
        let result = load("""
            apiVersion: apiserver.config.k8s.io/v1
            kind: EncryptionConfiguration
            resources:
              - resources: [secrets, configmaps]
                providers:
                  - identity: {}
                  - aesgcm:
                      keys:
                        - name: key1
                          secret: \(Self.keyValue)
                        - name: key2
                          secret: \(Self.keyValue)
                  - kms:
                      apiVersion: v2
                      name: vault
                      endpoint: unix:///var/run/kms.sock
              - resources: ["*.*"]
                providers: [{identity: {}}]

            """)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let config = try #require(result.cluster.encryptionConfigurations.first)
        #expect(config.resources.map(\.resources) == [["secrets", "configmaps"], ["*.*"]])
        #expect(config.secretsEncryption?.providers == [
            .init(type: "identity"), .init(type: "aesgcm", keyCount: 2), .init(type: "kms", kmsAPIVersion: "v2"),
        ])
        #expect(!String(describing: result.cluster).contains(Self.keyValue))
        #expect(result.statistics.loadedKinds["EncryptionConfiguration"] == 1)
    }

    @Test("the older EncryptionConfig of v1 loads too")
    func legacyEncryptionConfig() {
        let result = load("""
            kind: EncryptionConfig
            apiVersion: v1
            resources:
              - resources: [secrets]
                providers:
                  - identity: {}
                  - aesgcm: {keys: [{name: key1, secret: \(Self.keyValue)}]}

            """)
        #expect(result.cluster.encryptionConfigurations.first?.secretsEncryption?.providers.first?.type == "identity")
        #expect(!String(describing: result.cluster).contains(Self.keyValue))
    }

    @Test("an audit Policy keeps its rules; a Policy of another API group is skipped")
    func auditPolicy() throws {
        let result = load("""
            apiVersion: audit.k8s.io/v1
            kind: Policy
            omitStages: [RequestReceived]
            rules:
              - level: RequestResponse
                resources:
                  - group: ""
                    resources: [secrets, configmaps]
              - level: Metadata
                userGroups: ["system:authenticated"]
                verbs: [get, list]
                nonResourceURLs: ["/healthz*"]
            ---
            apiVersion: kyverno.io/v1
            kind: Policy
            metadata: {name: require-labels, namespace: prod}
            spec: {rules: []}

            """)
        #expect(result.errors.isEmpty, "\(result.errors)")
        let policy = try #require(result.cluster.auditPolicies.first)
        #expect(result.cluster.auditPolicies.count == 1)
        #expect(policy.omitStages == ["RequestReceived"])
        #expect(policy.rules.map(\.level) == ["RequestResponse", "Metadata"])
        #expect(policy.rules[0].resources == [AuditPolicy.GroupResources(group: "", resources: ["secrets", "configmaps"])])
        #expect(policy.rules[1].userGroups == ["system:authenticated"])
        #expect(policy.rules[1].verbs == ["get", "list"])
        #expect(policy.rules[1].nonResourceURLs == ["/healthz*"])
        #expect(result.statistics.skippedKinds["Policy"] == 1)
    }

    @Test("audit-style resources in an RBAC rule are an error")
    func auditResourcesInRole() {
        let result = load("""
            apiVersion: rbac.authorization.k8s.io/v1
            kind: ClusterRole
            metadata: {name: confused}
            rules: [{verbs: [get], apiGroups: [""], resources: [{group: "", resources: [pods]}]}]

            """)
        #expect(result.cluster.roles.isEmpty)
        #expect(result.errors.contains { $0.hasSuffix("error: rules[].resources[] must be strings") })
    }
}
