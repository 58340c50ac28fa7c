import Foundation
import Testing
@testable import RBACCore
import RBACLoading

/// The example world of docs/external-secrets.md scaled to N namespaces `team-0` … — the world
/// its figures for `paths --from` without `--to` are measured on. Per namespace: a Vault
/// SecretStore (Kubernetes auth, its own role `eso-I` and policy), two ExternalSecrets (one
/// through the store, one through a ClusterSecretStore), a Deployment with Vault Agent
/// annotations (role `web-I`), a SecretProviderClass, an author who may create ExternalSecrets
/// and get one Secret, a deployer who may create pods; 20 ClusterSecretStores with
/// regular-expression conditions (`^team-K`); a token store in every tenth namespace.
enum ScaledExternalWorld {
    static func manifests(_ n: Int) -> String {
        var docs: [String] = []
        for i in 0..<n {
            let ns = "team-\(i)"
            docs.append("""
                apiVersion: v1
                kind: Namespace
                metadata: {name: \(ns), labels: {team: t\(i % 7)}}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: eso-reader, namespace: \(ns)}
                ---
                apiVersion: v1
                kind: ServiceAccount
                metadata: {name: web, namespace: \(ns)}
                ---
                apiVersion: external-secrets.io/v1
                kind: SecretStore
                metadata: {name: vault-backend, namespace: \(ns)}
                spec:
                  provider:
                    vault:
                      server: "http://vault.vault:8200"
                      path: "secret"
                      version: "v2"
                      auth:
                        kubernetes: {mountPath: kubernetes, role: eso-\(i), serviceAccountRef: {name: eso-reader}}
                ---
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata: {name: db, namespace: \(ns)}
                spec:
                  secretStoreRef: {name: vault-backend, kind: SecretStore}
                  target: {name: db-credentials}
                  data:
                  - {secretKey: password, remoteRef: {key: \(ns)/db, property: password}}
                ---
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata: {name: shared, namespace: \(ns)}
                spec:
                  secretStoreRef: {name: teams-\(i % 20), kind: ClusterSecretStore}
                  data:
                  - {secretKey: token, remoteRef: {key: shared/token-\(i % 50)}}
                ---
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: web, namespace: \(ns)}
                spec:
                  template:
                    metadata:
                      annotations:
                        vault.hashicorp.com/agent-inject: "true"
                        vault.hashicorp.com/role: "web-\(i)"
                        vault.hashicorp.com/agent-inject-secret-db: "secret/data/\(ns)/web"
                    spec:
                      serviceAccountName: web
                      containers: [{name: web, image: nginx}]
                ---
                apiVersion: secrets-store.csi.x-k8s.io/v1
                kind: SecretProviderClass
                metadata: {name: vault-db, namespace: \(ns)}
                spec:
                  provider: vault
                  parameters:
                    roleName: web-\(i)
                    objects: |
                      - objectName: "p"
                        secretPath: "secret/data/\(ns)/csi"
                        secretKey: "password"
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: author, namespace: \(ns)}
                rules:
                - {apiGroups: [external-secrets.io], resources: [externalsecrets], verbs: [create, update]}
                - {apiGroups: [""], resources: [secrets], resourceNames: [app-config], verbs: [get]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: author, namespace: \(ns)}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: author}
                subjects: [{kind: User, name: author-\(i), apiGroup: rbac.authorization.k8s.io}, {kind: Group, name: team-\(i % 7), apiGroup: rbac.authorization.k8s.io}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: deployer, namespace: \(ns)}
                rules:
                - {apiGroups: [""], resources: [pods], verbs: [create]}
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: deployer, namespace: \(ns)}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
                subjects: [{kind: User, name: deployer-\(i), apiGroup: rbac.authorization.k8s.io}]
                """)
            if i % 10 == 0 {
                docs.append("""
                    apiVersion: external-secrets.io/v1
                    kind: SecretStore
                    metadata: {name: vault-token, namespace: \(ns)}
                    spec:
                      provider:
                        vault:
                          server: "http://vault.vault:8200"
                          path: secret
                          auth:
                            tokenSecretRef: {name: vault-token, key: token}
                    """)
            }
        }
        for k in 0..<20 {
            docs.append("""
                apiVersion: external-secrets.io/v1
                kind: ClusterSecretStore
                metadata: {name: teams-\(k)}
                spec:
                  conditions:
                  - namespaceRegexes: ["^team-\(k)"]
                  provider:
                    vault:
                      server: "http://vault.vault:8200"
                      path: "secret"
                      auth:
                        kubernetes: {role: eso-\(k), serviceAccountRef: {name: eso-reader, namespace: team-\(k)}}
                """)
        }
        return docs.joined(separator: "\n---\n") + "\n"
    }

    /// The `--vault` folder: per namespace a role `eso-I` (its store's) and `web-I` (its
    /// pods'), each with its policy.
    static func vault(_ n: Int) -> [String: String] {
        var files: [String: String] = [:]
        for i in 0..<n {
            let ns = "team-\(i)"
            files["auth/kubernetes/role/eso-\(i).json"] = #"{"data": {"bound_service_account_names": ["eso-reader"], "bound_service_account_namespaces": ["\#(ns)"], "token_policies": ["eso-\#(i)"]}}"#
            files["auth/kubernetes/role/web-\(i).json"] = #"{"data": {"bound_service_account_names": ["web"], "bound_service_account_namespaces": ["\#(ns)"], "token_policies": ["web-\#(i)"]}}"#
            files["sys/policy/eso-\(i).hcl"] = "path \"secret/data/\(ns)/*\" {\n  capabilities = [\"read\", \"list\"]\n}\npath \"secret/data/shared/token-\(i % 50)\" {\n  capabilities = [\"read\"]\n}\n"
            files["sys/policy/web-\(i).hcl"] = "path \"secret/data/\(ns)/*\" {\n  capabilities = [\"read\"]\n}\npath \"secret/data/\(ns)/admin/*\" {\n  capabilities = [\"deny\"]\n}\n"
        }
        return files
    }

    static func graph(_ n: Int, from identities: [PathNode]) throws -> EscalationGraph {
        var cluster = try ESOWorld.cluster(manifests(n))
        cluster.external.vault = try ESOWorld.vault(vault(n))
        return PathFinder(AccessGraph(cluster)).graph(including: identities)
    }
}

/// `paths --from ID` without `--to` on the scaled world: the work is per input, not per end
/// times input. Counted, not timed: an identity reaching cluster-admin takes every route, so
/// doing per end what does not depend on it (a store's login in each namespace it serves, a
/// walk of every login's ACL for each Vault path) would grow with the square of the world.
@Suite struct ScaledExternalWorldTests {
    static func counts(_ n: Int, from start: PathNode) throws -> (ends: Int, counts: BeyondContext.Counts) {
        let esc = try ScaledExternalWorld.graph(n, from: [start])
        let context = BeyondContext(esc, start: start, maxSteps: 8)
        let beyond = esc.pathsBeyond(with: context)
        return (beyond.count, context.counts)
    }

    @Test(arguments: [PathNode.group("system:masters"), .user("deployer-2"), .group("team-1")])
    func theWorkGrowsWithTheWorldNotItsSquare(start: PathNode) throws {
        let small = try Self.counts(6, from: start)
        let large = try Self.counts(12, from: start)
        #expect(large.ends > small.ends)
        // Each store's login in each namespace it serves is made once, not once per end.
        #expect(large.counts.logins <= 2 * small.counts.logins + 20, "\(small.counts) → \(large.counts)")
        #expect(large.counts.storeRouteLists <= 2 * small.counts.storeRouteLists + 20, "\(small.counts) → \(large.counts)")
        // A login's ACL is walked for the ends it may decide, not for every end.
        #expect(large.counts.reachWalks <= 2 * small.counts.reachWalks + 20, "\(small.counts) → \(large.counts)")
        #expect(large.counts.kubernetesSearches <= 2 * small.counts.kubernetesSearches + 20, "\(small.counts) → \(large.counts)")
        #expect(large.counts.secretReads <= 2 * small.counts.secretReads + 20, "\(small.counts) → \(large.counts)")
    }

    @Test func anIdentityReachingClusterAdminReachesEveryEndOnce() throws {
        let (ends, counts) = try Self.counts(12, from: .group("system:masters"))
        let esc = try ScaledExternalWorld.graph(12, from: [.group("system:masters")])
        // Every end the world names has a route, and cluster-admin takes each.
        #expect(ends == esc.externalEnds().count)
        // At most the two logins of its namespace (and the ClusterSecretStore's) walk each Vault end.
        let vaultEnds = esc.externalEnds().filter { $0.vault != nil }.count
        #expect(counts.reachWalks <= 3 * vaultEnds, "\(counts)")
    }
}
