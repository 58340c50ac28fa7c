import Testing
import RBACCore
import RBACLoading

/// External Secrets Operator and Secrets Store CSI objects loaded with `-f`, from the projects'
/// documented examples: the identity a store uses, the namespaces it serves, what an
/// ExternalSecret reads; secret values never read.
@Suite struct ExternalObjectsTests {
    static func load(_ yaml: String) throws -> ManifestLoader.Result {
        try ManifestLoader().load(yaml: yaml, name: "eso.yaml")
    }

    static let vaultStore = """
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata:
          name: vault-backend
          namespace: prod
        spec:
          provider:
            vault:
              server: "http://my.vault.server:8200"
              path: "secret"
              version: "v2"
              auth:
                kubernetes:
                  mountPath: "kubernetes"
                  role: "demo"
                  serviceAccountRef:
                    name: "my-sa"
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata:
          name: vault-example
          namespace: prod
        spec:
          refreshInterval: "15s"
          secretStoreRef:
            name: vault-backend
            kind: SecretStore
          target:
            name: example-sync
          data:
          - secretKey: foobar
            remoteRef:
              key: foo
              property: my-value
          dataFrom:
          - extract:
              key: team/bar
        """

    @Test func vaultStoreAndExternalSecret() throws {
        let r = try Self.load(Self.vaultStore)
        #expect(!r.hasErrors, "\(r.diagnostics)")
        let store = try #require(r.cluster.external.stores.first)
        #expect(store.kind == .secretStore && store.namespace == "prod" && store.provider == "vault")
        #expect(store.vault == SecretStore.VaultProvider(server: "http://my.vault.server:8200", mount: "secret", version: "v2", authMethod: "kubernetes", authMount: "kubernetes", role: "demo"))
        #expect(store.credentials == [StoreCredential(kind: .serviceAccount, name: "my-sa", field: "spec.provider.vault.auth.kubernetes.serviceAccountRef")])
        #expect(store.targetName == "store:prod/vault-backend")
        let es = try #require(r.cluster.external.externalSecrets.first)
        #expect(es.stores == [StoreReference(kind: .secretStore, name: "vault-backend")])
        #expect(es.remoteKeys == ["foo", "team/bar"])
        #expect(es.secretName == "example-sync")
        #expect(store.vault?.path(ofKey: "foo") == "secret/data/foo")
        #expect(store.vault?.path(ofKey: "secret/foo") == "secret/data/foo")
        #expect(r.cluster.external.store(es.stores[0], from: "prod") == store)
        #expect(r.cluster.external.store(es.stores[0], from: "dev") == nil)
    }

    static let clusterStore = """
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata:
          name: example
        spec:
          conditions:
            - namespaceSelector:
                matchLabels:
                  my.namespace.io/some-label: "value"
            - namespaces:
                - "namespace-a"
            - namespaceRegexes:
                - "prod"
          provider:
            aws:
              service: SecretsManager
              region: eu-central-1
              auth:
                secretRef:
                  accessKeyIDSecretRef:
                    name: awssm-secret
                    key: access-key
                  secretAccessKeySecretRef:
                    name: awssm-secret
                    key: secret-access-key
                    namespace: default
        """

    /// Conditions are ORed; regular expressions are unanchored (prod matches preprod).
    @Test(arguments: [
        ("namespace-a", [String: String]?.none, VaultMatch.yes),
        ("preprod", nil, .yes),
        ("prod-eu", nil, .yes),
        ("labelled", ["my.namespace.io/some-label": "value"], .yes),
        ("other", ["my.namespace.io/some-label": "other"], .no),
        ("other", nil, .unknown),
    ])
    func clusterStoreConditions(namespace: String, labels: [String: String]?, serves: VaultMatch) throws {
        let store = try #require(try Self.load(Self.clusterStore).cluster.external.stores.first)
        #expect(store.serves(namespace: namespace, labels: labels) == serves)
    }

    @Test func clusterStoreCredentialsWithoutANamespaceAreReadInTheUsersNamespace() throws {
        let store = try #require(try Self.load(Self.clusterStore).cluster.external.stores.first)
        #expect(store.kind == .clusterSecretStore && store.namespace == nil)
        #expect(store.credentials.map(\.name) == ["awssm-secret", "awssm-secret"])
        #expect(store.credentials.map(\.namespace) == [nil, "default"])
        #expect(store.isReferent)
        #expect(store.credentialNamespace(store.credentials[0], usedFrom: "team-a") == "team-a")
        #expect(store.credentialNamespace(store.credentials[1], usedFrom: "team-a") == "default")
        // Without conditions, a ClusterSecretStore serves every namespace.
        var open = store
        open.conditions = []
        #expect(open.serves(namespace: "anything", labels: nil) == .yes)
    }

    @Test func secretValuesAreNeverRead() throws {
        let r = try Self.load("""
            apiVersion: external-secrets.io/v1
            kind: SecretStore
            metadata: {name: fake, namespace: dev}
            spec:
              provider:
                fake:
                  data:
                  - key: "/foo/bar"
                    value: "hunter2-HUNTER2"
                  - key: "/foo/baz"
                    valueMap: {k: "hunter3-HUNTER3"}
            """)
        #expect(!r.hasErrors)
        #expect(r.cluster.external.stores.first?.provider == "fake")
        let dump = String(describing: r.cluster.external)
        #expect(!dump.contains("hunter2-HUNTER2") && !dump.contains("hunter3-HUNTER3"))
    }

    @Test func clusterExternalSecretAndPushSecret() throws {
        let r = try Self.load("""
            apiVersion: external-secrets.io/v1
            kind: ClusterExternalSecret
            metadata: {name: "hello-world"}
            spec:
              externalSecretName: "hello-world-es"
              namespaceSelectors:
              - matchLabels: {cool: label}
              externalSecretSpec:
                secretStoreRef: {name: secret-store-name, kind: ClusterSecretStore}
                target: {name: my-secret}
                data:
                - secretKey: my-secret
                  remoteRef: {key: remote-secret}
            ---
            apiVersion: external-secrets.io/v1alpha1
            kind: PushSecret
            metadata: {name: pushsecret-example, namespace: default}
            spec:
              secretStoreRefs:
                - name: aws-parameterstore
                  kind: SecretStore
              selector:
                secret: {name: pokedex-credentials}
              data:
                - match:
                    secretKey: best-pokemon
                    remoteRef: {remoteKey: my-first-parameter}
            """)
        #expect(!r.hasErrors, "\(r.diagnostics)")
        let ces = r.cluster.external.externalSecrets
        #expect(ces.map(\.kind) == [.clusterExternalSecret, .pushSecret])
        #expect(ces[0].namespace == nil && ces[0].namespaceSelectors.count == 1 && ces[0].secretName == "my-secret")
        #expect(ces[0].stores == [StoreReference(kind: .clusterSecretStore, name: "secret-store-name")])
        #expect(ces[1].secretName == "pokedex-credentials" && ces[1].remoteKeys == ["my-first-parameter"])
    }

    /// Each kind at every version the operator has served it (SecretStore, ClusterSecretStore,
    /// ExternalSecret: v1, v1beta1, v1alpha1; ClusterExternalSecret: v1, v1beta1; PushSecret:
    /// v1alpha1 only), written as that version writes it.
    static let versionedObjects: [(kind: String, versions: [String], body: String)] = [
        ("SecretStore", ["v1", "v1beta1", "v1alpha1"], """
            metadata: {name: vault, namespace: prod}
            spec:
              provider:
                vault:
                  server: "http://vault:8200"
                  path: secret
                  auth: {kubernetes: {role: eso, serviceAccountRef: {name: eso}}}
            """),
        ("ClusterSecretStore", ["v1", "v1beta1", "v1alpha1"], """
            metadata: {name: aws}
            spec:
              provider:
                aws:
                  service: SecretsManager
                  auth: {secretRef: {accessKeyIDSecretRef: {name: aws, key: id, namespace: ops}}}
            """),
        ("ExternalSecret", ["v1", "v1beta1"], """
            metadata: {name: db, namespace: prod}
            spec:
              secretStoreRef: {name: vault, kind: SecretStore}
              target: {name: db}
              data: [{secretKey: password, remoteRef: {key: prod/db}}]
              dataFrom: [{extract: {key: prod/all}}]
            """),
        ("ClusterExternalSecret", ["v1", "v1beta1"], """
            metadata: {name: shared}
            spec:
              namespaceSelectors: [{matchLabels: {team: web}}]
              externalSecretSpec:
                secretStoreRef: {name: aws, kind: ClusterSecretStore}
                data: [{secretKey: token, remoteRef: {key: shared/token}}]
            """),
        ("PushSecret", ["v1alpha1"], """
            metadata: {name: push, namespace: prod}
            spec:
              secretStoreRefs: [{name: vault, kind: SecretStore}]
              selector: {secret: {name: db}}
              data: [{match: {secretKey: password, remoteRef: {remoteKey: pushed/db}}}]
            """),
    ]

    static func external(_ kind: String, _ version: String, _ body: String) throws -> ExternalInventory {
        let r = try load("apiVersion: external-secrets.io/\(version)\nkind: \(kind)\n" + body)
        #expect(!r.hasErrors, "\(r.diagnostics)")
        var e = r.cluster.external
        for i in e.stores.indices { e.stores[i].source = nil }
        for i in e.externalSecrets.indices { e.externalSecrets[i].source = nil }
        return e
    }

    @Test("every served version of each kind reads to the same object", arguments: versionedObjects.map(\.kind))
    func everyServedVersion(kind: String) throws {
        let entry = try #require(Self.versionedObjects.first { $0.kind == kind })
        let first = try Self.external(kind, entry.versions[0], entry.body)
        #expect(first.stores.count + first.externalSecrets.count == 1)
        for v in entry.versions.dropFirst() {
            #expect(try Self.external(kind, v, entry.body) == first, "\(kind) \(v)")
        }
    }

    @Test("an ExternalSecret v1alpha1 names a dataFrom key directly; each version's other shape reads no key, as the API server prunes it")
    func externalSecretV1alpha1DataFrom() throws {
        let v1 = try Self.external("ExternalSecret", "v1", Self.versionedObjects[2].body)
        #expect(v1.externalSecrets.first?.remoteKeys == ["prod/db", "prod/all"])
        let alphaBody = Self.versionedObjects[2].body.replacingOccurrences(of: "[{extract: {key: prod/all}}]", with: "[{key: prod/all, property: password}]")
        #expect(try Self.external("ExternalSecret", "v1alpha1", alphaBody) == v1)
        // Near misses: the v1alpha1 shape under v1, the v1 shape under v1alpha1.
        #expect(try Self.external("ExternalSecret", "v1", alphaBody).externalSecrets.first?.remoteKeys == ["prod/db"])
        #expect(try Self.external("ExternalSecret", "v1alpha1", Self.versionedObjects[2].body).externalSecrets.first?.remoteKeys == ["prod/db"])
    }

    @Test("a ClusterPushSecret (v1alpha1) is not read, and said so; another group's kind of that name is skipped quietly")
    func clusterPushSecretIsSaid() throws {
        let body = "kind: ClusterPushSecret\nmetadata: {name: push-all}\nspec: {pushSecretSpec: {secretStoreRefs: [{name: s, kind: ClusterSecretStore}]}}\n"
        let r = try Self.load("apiVersion: external-secrets.io/v1alpha1\n" + body)
        #expect(r.diagnostics.map { "\($0)" } == [
            "eso.yaml:1:1: warning: ClusterPushSecret not read: rbacgraph does not follow the Secrets it pushes from the namespaces it selects to its stores (PushSecrets are read)",
        ])
        #expect(r.cluster.external.externalSecrets.isEmpty)
        #expect(try Self.load("apiVersion: example.com/v1\n" + body).diagnostics.isEmpty)
    }

    @Test("a PushSecret selecting stores or Secrets by labels loads what it names and says what it does not follow")
    func pushSecretLabelSelectors() throws {
        let r = try Self.load("""
            apiVersion: external-secrets.io/v1alpha1
            kind: PushSecret
            metadata: {name: by-labels, namespace: prod}
            spec:
              secretStoreRefs:
              - {name: aws, kind: SecretStore}
              - labelSelector: {matchLabels: {push: "true"}}
                kind: ClusterSecretStore
              selector:
                secret:
                  selector: {matchLabels: {pushed: "true"}}
            ---
            apiVersion: external-secrets.io/v1alpha1
            kind: PushSecret
            metadata: {name: only-labels, namespace: prod}
            spec:
              secretStoreRefs: [{labelSelector: {matchLabels: {push: "true"}}}]
              selector: {secret: {name: db}}
            """)
        #expect(!r.hasErrors, "\(r.diagnostics)")
        #expect(r.diagnostics.map { "\($0)" } == [
            "eso.yaml:1:1: warning: PushSecret \"by-labels\": spec.secretStoreRefs: 1 reference selects stores by labels, which rbacgraph does not follow (store labels are not read)",
            "eso.yaml:1:1: warning: PushSecret \"by-labels\": spec.selector.secret.selector pushes the Secrets its labels select, which rbacgraph does not follow (only a named Secret is)",
            "eso.yaml:13:1: warning: PushSecret \"only-labels\": spec.secretStoreRefs: 1 reference selects stores by labels, which rbacgraph does not follow (store labels are not read)",
        ])
        let pushes = r.cluster.external.externalSecrets
        #expect(pushes.map(\.stores) == [[StoreReference(kind: .secretStore, name: "aws")], []])
        #expect(pushes.map(\.secretName) == [nil, "db"])
    }

    @Test func secretProviderClassAndPods() throws {
        let r = try Self.load("""
            apiVersion: secrets-store.csi.x-k8s.io/v1
            kind: SecretProviderClass
            metadata: {name: vault-database, namespace: prod}
            spec:
              provider: vault
              parameters:
                vaultAddress: "http://vault.default:8200"
                roleName: "database"
                objects: |
                  - objectName: "db-password"
                    secretPath: "secret/data/db-pass"
                    secretKey: "password"
            ---
            apiVersion: secrets-store.csi.x-k8s.io/v1
            kind: SecretProviderClass
            metadata: {name: azure-kvname, namespace: prod}
            spec:
              provider: azure
              secretObjects:
              - secretName: foosecret
                type: Opaque
              parameters:
                keyvaultName: "kvname"
                objects: |
                  array:
                    - |
                      objectName: secret1
                      objectType: secret
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: prod}
            spec:
              template:
                metadata:
                  annotations:
                    vault.hashicorp.com/agent-inject: "true"
                    vault.hashicorp.com/role: "web"
                    vault.hashicorp.com/agent-inject-secret-db: "secret/data/prod/db"
                    prometheus.io/scrape: "true"
                spec:
                  serviceAccountName: web
                  volumes:
                  - name: secrets-store-inline
                    csi:
                      driver: secrets-store.csi.k8s.io
                      readOnly: true
                      volumeAttributes: {secretProviderClass: "vault-database"}
            ---
            apiVersion: v1
            kind: Pod
            metadata:
              name: app
              namespace: prod
              annotations: {vault.hashicorp.com/role: app}
            spec:
              containers: [{name: c, image: x}]
            """)
        #expect(!r.hasErrors, "\(r.diagnostics)")
        let classes = r.cluster.external.providerClasses
        #expect(classes.map(\.objects) == [["secret/data/db-pass"], ["secret1"]])
        #expect(classes[0].vaultRole == "database" && classes[0].vaultAuthMount == "kubernetes")
        #expect(classes[1].syncedSecrets == ["foosecret"])
        let web = try #require(r.cluster.workloads.first { $0.name == "web" })
        #expect(web.template.secretProviderClasses == ["vault-database"])
        #expect(web.template.vaultAnnotations.count == 3)
        #expect(web.template.vaultAnnotations["vault.hashicorp.com/role"] == "web")
        let pod = try #require(r.cluster.workloads.first { $0.name == "app" })
        #expect(pod.template.vaultAnnotations == ["vault.hashicorp.com/role": "app"])
    }

    /// Broken objects: one located error, the rest of the stream still loads.
    @Test(arguments: [
        ("kind: SecretStore\napiVersion: external-secrets.io/v1\nmetadata: {name: s}\nspec: {provider: {}}\n", "spec.provider must name one provider"),
        ("kind: ExternalSecret\napiVersion: external-secrets.io/v1\nmetadata: {name: e}\nspec: {data: []}\n", "secretStoreRef is required"),
        ("kind: ExternalSecret\napiVersion: external-secrets.io/v1\nmetadata: {name: e}\nspec: {secretStoreRef: {name: s, kind: Vault}}\n", "must be SecretStore or ClusterSecretStore"),
        ("kind: SecretStore\napiVersion: external-secrets.io/v1\nmetadata: {name: s}\nspec: {conditions: [], provider: {vault: {}}}\n", "only a ClusterSecretStore has conditions"),
        ("kind: ClusterSecretStore\napiVersion: external-secrets.io/v1\nmetadata: {name: s}\nspec: {conditions: [{namespaceSelector: {matchExpressions: [{key: a, operator: Near}]}}], provider: {vault: {}}}\n", "namespaceSelector"),
        ("apiVersion: external-secrets.io/v1\nspec: {provider: {vault: {}}}\nkind: SecretStore\nmetadata: {name: s}\n", "spec comes before its kind"),
        ("kind: SecretProviderClass\napiVersion: secrets-store.csi.x-k8s.io/v1\nmetadata: {name: p}\nspec: {parameters: {}}\n", "spec.provider is required"),
    ])
    func brokenObjects(yaml: String, message: String) throws {
        let r = try Self.load(yaml + "---\napiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ok}\n")
        let errors = r.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains(message) == true, "\(errors)")
        #expect(errors.first?.location.line == 1)
        #expect(r.cluster.serviceAccounts.count == 1)
        #expect(r.cluster.external.objectCount == 0)
    }

    @Test func anotherGroupsKindOfTheSameNameIsSkipped() throws {
        let r = try Self.load("apiVersion: example.com/v1\nkind: SecretStore\nmetadata: {name: s}\nspec: {x: 1}\n")
        #expect(r.diagnostics.isEmpty)
        #expect(r.cluster.external.isEmpty)
        #expect(r.statistics.skippedKinds["SecretStore"] == 1)
    }

    /// A condition Go's regexp rejects (or that cannot be read as Go reads it) is loaded with a
    /// warning located at the store; the store still loads, its answer for it unknown.
    @Test func regexesGoRejectsAreWarnedAbout() throws {
        let r = try Self.load("""
            apiVersion: external-secrets.io/v1
            kind: ClusterSecretStore
            metadata: {name: teams}
            spec:
              conditions:
              - namespaceRegexes: ["(?!dev).*", "^team-", "\\\\p{Greek}"]
              provider:
                vault:
                  path: secret
                  auth:
                    kubernetes: {role: eso, serviceAccountRef: {name: eso-reader, namespace: prod}}
            """)
        #expect(!r.hasErrors, "\(r.diagnostics)")
        let warnings = r.diagnostics.filter { $0.severity == .warning }.map(\.message)
        #expect(warnings.count == 2, "\(warnings)")
        #expect(warnings.first?.contains(#"namespaceRegexes[0] "(?!dev).*": Go's regexp rejects it: a lookaround"#) == true)
        #expect(warnings.last?.contains("namespaceRegexes[2]") == true)
        #expect(r.cluster.external.stores.count == 1)
    }
}
