import FakeAPIServer
import Foundation
import RBACCluster
import RBACCore
import RBACLoading
import RBACPresentation
import Testing

/// `snapshot` writes the External Secrets Operator's objects and SecretProviderClasses with the
/// fields the loader reads, and nothing else: every place of these objects that may hold a
/// secret value holds a planted one in ``world``, and none reaches the snapshot.
@Suite("Snapshot: External Secrets objects and SecretProviderClasses")
struct SnapshotExternalTests {
    /// What each planted value starts with.
    static let planted = "PLANTED-VALUE"

    /// Every store shape the loader reads (credential references under every provider, the
    /// Vault auth methods, a TLS reference before the auth block, conditions), ExternalSecrets
    /// with every field read, a ClusterExternalSecret, a PushSecret, SecretProviderClasses of
    /// four providers; with a planted value in each field that may hold one.
    static let world = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: prod, labels: {team: web}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata:
          name: aws
          namespace: prod
          annotations:
            kubectl.kubernetes.io/last-applied-configuration: '{"spec":{"provider":{"fake":{"data":[{"key":"k","value":"\(planted)-last-applied"}]}}}}'
          managedFields:
          - manager: kubectl
            fieldsV1: {"f:metadata": {"f:annotations": {"f:\(planted)-managed": {}}}}
        spec:
          provider:
            aws:
              service: SecretsManager
              region: eu-west-1
              auth:
                secretRef:
                  accessKeyIDSecretRef: {name: aws-creds, key: access-key}
                  secretAccessKeySecretRef: {name: aws-creds, key: secret-key}
                  sessionTokenSecretRef: {name: aws-session, key: token, namespace: prod}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: vault-approle, namespace: prod}
        spec:
          provider:
            vault:
              server: "https://vault.example:8200"
              path: kv
              version: v1
              caBundle: "\(planted)-ca-bundle"
              caProvider: {type: Secret, name: vault-ca, key: ca.crt}
              tls:
                certSecretRef: {name: vault-client-tls, key: tls.crt}
              auth:
                appRole:
                  path: approle
                  roleId: "\(planted)-role-id"
                  secretRef: {name: approle-secret, key: secret-id}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: vault-token, namespace: prod}
        spec:
          provider:
            vault:
              server: "https://vault.example:8200"
              path: secret
              auth:
                tokenSecretRef: {name: vault-token, key: token}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: fake, namespace: prod}
        spec:
          provider:
            fake:
              data:
              - key: /db/password
                value: "\(planted)-fake-value"
              - key: /db/map
                valueMap: {user: "\(planted)-fake-map"}
        ---
        apiVersion: external-secrets.io/v1
        kind: SecretStore
        metadata: {name: hook, namespace: prod}
        spec:
          provider:
            webhook:
              url: "https://hook.example/{{ .remoteRef.key }}"
              headers: {Authorization: "Bearer \(planted)-header"}
              body: "\(planted)-body"
              secrets:
              - name: token
                secretRef: {name: webhook-credentials}
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: {name: gcp}
        spec:
          conditions:
          - namespaces: [prod]
            namespaceRegexes: ["^team-"]
          - namespaceSelector:
              matchLabels: {team: web}
              matchExpressions: [{key: tier, operator: In, values: [gold, silver]}]
          provider:
            gcpsm:
              projectID: my-project
              auth:
                workloadIdentity:
                  clusterLocation: europe-west1
                  clusterName: main
                  serviceAccountRef: {name: gcp-reader, namespace: eso}
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: {name: vault-jwt}
        spec:
          provider:
            vault:
              server: "https://vault.example:8200"
              path: secret
              auth:
                jwt:
                  path: jwt-k8s
                  role: reader
                  kubernetesServiceAccountToken:
                    serviceAccountRef: {name: jwt-reader}
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: {name: vault-k8s}
        spec:
          provider:
            vault:
              server: "http://vault.vault:8200"
              path: secret
              auth:
                kubernetes:
                  role: eso
                  secretRef: {name: eso-token, key: token}
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterSecretStore
        metadata: {name: other-cluster}
        spec:
          provider:
            kubernetes:
              remoteNamespace: default
              server:
                url: "https://other.example"
                caProvider: {type: ConfigMap, name: kube-root-ca.crt, key: ca.crt}
              auth:
                token:
                  bearerToken: {name: other-cluster-token, key: token}
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: app, namespace: prod}
        spec:
          refreshInterval: 1h
          secretStoreRef: {name: aws, kind: SecretStore}
          target:
            name: app-secret
            creationPolicy: Merge
            template:
              type: Opaque
              data:
                config.yaml: "password: \(planted)-template-data"
              templateFrom:
              - literal: "\(planted)-template-literal"
              - configMap: {name: tpl, items: [{key: a}]}
          data:
          - secretKey: password
            remoteRef: {key: prod/app, property: password}
          dataFrom:
          - extract: {key: prod/app-all}
          - find: {name: {regexp: "^prod-"}}
            sourceRef:
              storeRef: {name: gcp, kind: ClusterSecretStore}
        ---
        apiVersion: external-secrets.io/v1
        kind: ExternalSecret
        metadata: {name: settings, namespace: prod}
        spec:
          secretStoreRef: {name: vault-k8s, kind: ClusterSecretStore}
          target:
            name: app-settings
            manifest: {apiVersion: v1, kind: ConfigMap}
          dataFrom:
          - extract: {key: prod/settings}
        ---
        apiVersion: external-secrets.io/v1
        kind: ClusterExternalSecret
        metadata: {name: shared}
        spec:
          externalSecretName: shared-credentials
          namespaces: [prod]
          namespaceSelector: {matchLabels: {team: web}}
          namespaceSelectors:
          - matchExpressions: [{key: kubernetes.io/metadata.name, operator: In, values: [team-a]}]
          externalSecretSpec:
            secretStoreRef: {name: vault-jwt, kind: ClusterSecretStore}
            target:
              creationPolicy: Orphan
              template: {data: {token: "\(planted)-cluster-template"}}
            data:
            - secretKey: token
              remoteRef: {key: shared/token}
        ---
        apiVersion: external-secrets.io/v1alpha1
        kind: PushSecret
        metadata: {name: push, namespace: prod}
        spec:
          secretStoreRefs:
          - {name: aws, kind: SecretStore}
          - {name: gcp, kind: ClusterSecretStore}
          selector:
            secret: {name: app-secret}
          template:
            data: {pushed: "\(planted)-push-template"}
          data:
          - match:
              secretKey: password
              remoteRef: {remoteKey: pushed/app, property: password}
            metadata: {labels: {note: "\(planted)-push-metadata"}}
        ---
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: vault-db, namespace: prod}
        spec:
          provider: vault
          parameters:
            vaultAddress: "http://vault.vault:8200"
            roleName: web
            vaultKubernetesMountPath: k8s-prod
            objects: |
              - objectName: "db-password"
                secretPath: "secret/data/prod/db"
                secretKey: "password"
          secretObjects:
          - secretName: db-synced
            type: Opaque
            data: [{objectName: db-password, key: password}]
        ---
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: aws-objects, namespace: prod}
        spec:
          provider: aws
          parameters:
            token: "\(planted)-csi-parameter"
            objects: |
              - objectName: "prod/db"
                objectType: "secretsmanager"
              - objectName: "prod/api"
                objectType: "ssmparameter"
        ---
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: azure-objects, namespace: prod}
        spec:
          provider: azure
          parameters:
            keyvaultName: kv
            objects: |
              array:
                - |
                  objectName: db-password
                  objectType: secret
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: external-secrets, namespace: external-secrets}
        spec:
          template:
            spec:
              serviceAccountName: external-secrets
              containers:
              - name: external-secrets
                image: ghcr.io/external-secrets/external-secrets:v0.20.4
                command: [/bin/external-secrets, "--vault-token=\(planted)-operator-command"]
                args: ["--unsafe-allow-generic-targets=true", "--extra=\(planted)-operator-arg"]
              - name: webhook
                image: ghcr.io/external-secrets/external-secrets:v0.20.4
                args: [webhook]
        ---
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: argoapps.argoproj.io}
        spec:
          group: argoproj.io
          names: {kind: Application, plural: argoapps, singular: application}
          scope: Cluster
          versions:
          - name: v1alpha1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object, description: "\(planted)-crd-schema"}}
        ---
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: gcp-objects, namespace: prod}
        spec:
          provider: gcp
          parameters:
            secrets: |
              - resourceName: "projects/p/secrets/db/versions/latest"
                fileName: "db"
        """

    static func withoutSources(_ e: ExternalInventory) -> ExternalInventory {
        var e = e
        for i in e.stores.indices { e.stores[i].source = nil }
        for i in e.externalSecrets.indices { e.externalSecrets[i].source = nil }
        for i in e.providerClasses.indices { e.providerClasses[i].source = nil }
        for i in e.customResourceDefinitions.indices { e.customResourceDefinitions[i].source = nil }
        return e
    }

    @Test("every store, ExternalSecret and SecretProviderClass shape loads back to the same values, in order")
    func roundTrip() throws {
        let loaded = try ManifestLoader().load(yaml: Self.world)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
        let e = loaded.cluster.external
        #expect(e.stores.count == 9 && e.externalSecrets.count == 4 && e.providerClasses.count == 4)
        // The shapes the writer must rebuild are there to rebuild.
        #expect(e.stores.flatMap(\.credentials).count == 11)
        #expect(e.stores.first { $0.name == "vault-approle" }?.credentials.map(\.field) == [
            "spec.provider.vault.tls.certSecretRef", "spec.provider.vault.auth.appRole.secretRef",
        ])
        #expect(e.externalSecrets.first { $0.name == "app" }?.stores.count == 2)
        #expect(e.externalSecrets.first { $0.name == "app" }?.findsKeys == true)
        for text in [Snapshot.list(loaded.cluster).yamlSerialized(), Snapshot.list(loaded.cluster).prettySerialized()] {
            let again = try ManifestLoader().load(yaml: text, name: "snapshot")
            #expect(!again.hasErrors, "\(again.diagnostics.prefix(3))")
            let a = Self.withoutSources(again.cluster.external), b = Self.withoutSources(e)
            #expect(a.stores == b.stores)
            #expect(a.externalSecrets == b.externalSecrets)
            #expect(a.providerClasses == b.providerClasses)
            #expect(a.customResourceDefinitions == b.customResourceDefinitions && a.customResourceDefinitions.count == 1)
            // The operator's controller and its flag.
            #expect(again.cluster.workloads.map(\.template) == loaded.cluster.workloads.map(\.template))
            guard case .allowed(let why) = again.cluster.genericTargets else {
                Issue.record("\(again.cluster.genericTargets)")
                continue
            }
            #expect(why.hasSuffix("runs the operator with --unsafe-allow-generic-targets=true (container external-secrets)"))
        }
        #expect(loaded.cluster.workloads.first?.template.externalSecretsController?.allowsGenericTargets == true)
    }

    @Test("no planted value reaches the snapshot, from a file or a live cluster")
    func noValues() async throws {
        // Each planted value is in the input, in the place named.
        let places = [
            "last-applied", "managed", "ca-bundle", "role-id", "fake-value", "fake-map", "header", "body", "template-data",
            "template-literal", "cluster-template", "push-template", "push-metadata", "csi-parameter", "operator-command", "operator-arg", "crd-schema",
        ]
        for p in places { #expect(Self.world.contains("\(Self.planted)-\(p)"), "\(p)") }
        let loaded = try ManifestLoader().load(yaml: Self.world)
        for text in [Snapshot.list(loaded.cluster).yamlSerialized(), Snapshot.list(loaded.cluster).prettySerialized()] {
            #expect(!text.contains(Self.planted), "\(text)")
            // The objects are there, with what the loader reads.
            #expect(text.contains("approle-secret") && text.contains("prod/app-all") && text.contains("db-synced"))
        }
    }

    @Test(
        "the CLI's snapshot of the world, from a file and from a live cluster, holds no planted value",
        .enabled(if: Certs.available, "openssl is not installed (make deps)"))
    func cliNoValues() throws {
        let dir = try Where.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.world.write(toFile: dir + "/world.yaml", atomically: true, encoding: .utf8)
        let file = try Binary.run(["snapshot", "-f", dir + "/world.yaml"])
        #expect(file.status == 0, "\(file.stderr)")
        let fx = try LiveFixture(world: try LiveFixture.world(LiveExternalTests.crds(esoVersion: "v1") + Self.world))
        let live = try Binary.run(["snapshot", "--kubeconfig", try fx.tokenKubeconfig()])
        #expect(live.status == 0, "\(live.stderr)")
        // PushSecret is listed at v1alpha1, the only version it has.
        #expect(fx.server.received.contains { $0.path.hasPrefix("/apis/external-secrets.io/v1alpha1/pushsecrets?") })
        for out in [file, live] {
            #expect(!out.stdout.contains(Self.planted) && !out.stderr.contains(Self.planted))
            #expect(out.stdout.contains("kind: ClusterExternalSecret") && out.stdout.contains("kind: PushSecret"))
            #expect(!out.stderr.contains("not written"), "\(out.stderr)")
        }
    }
}
