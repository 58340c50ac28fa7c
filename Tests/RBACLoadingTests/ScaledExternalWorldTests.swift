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

/// `secrets --external` on the scaled world: every external secret path's readers, found with
/// one context for all of them. Counted, not timed: each path asked on its own made each
/// store's login in each namespace it serves, searched backwards from each Kubernetes target a
/// route needs and listed each unknown store's readers again, so the work grew with the
/// number of paths times the world.
@Suite struct ScaledExternalReadersTests {
    static func counts(_ n: Int) throws -> (paths: Int, counts: BeyondContext.Counts) {
        let esc = try ScaledExternalWorld.graph(n, from: [])
        let context = BeyondContext(esc)
        let listed = esc.externalSecretReaders(namedIn: nil, effective: true, maxSteps: 8, context: context)
        return (listed.count, context.counts)
    }

    @Test func theWorkGrowsWithTheWorldNotItsSquare() throws {
        let small = try Self.counts(6)
        let large = try Self.counts(12)
        #expect(large.paths == 2 * small.paths)
        let s = small.counts, l = large.counts
        // Every piece is done in the one context (none of it apart, per path).
        #expect(s.logins > 0 && s.storeRouteLists > 0 && s.reachWalks > 0 && s.identitySearches > 0, "\(s)")
        // (At N = 6: 38 searches, 25 logins, 42 walks; asked per path, 308 searches.)
        // Once per service account, store and namespace: not once per path.
        #expect(l.logins <= 2 * s.logins + 6, "\(s) → \(l)")
        #expect(l.storeRouteLists <= 2 * s.storeRouteLists + 6, "\(s) → \(l)")
        // A login's policies are walked for the paths it may decide, not for every path.
        #expect(l.reachWalks <= 2 * s.reachWalks + 6, "\(s) → \(l)")
        // One search backwards per Kubernetes target.
        #expect(l.identitySearches <= 2 * s.identitySearches + 6, "\(s) → \(l)")
        #expect(l.secretReads <= 2 * s.secretReads + 6, "\(s) → \(l)")
    }

    /// What one context finds is what each path asked on its own finds (the public functions,
    /// each with a context of its own), reader for reader, in order.
    @Test func oneContextAnswersAsEachPathAlone() throws {
        let esc = try ScaledExternalWorld.graph(6, from: [])
        func row(_ r: VaultReader) -> String {
            let route: String
            switch r.route {
            case .login(let a): route = "login \(a.login.role.path) \(a.login.serviceAccount.notation)"
            case .store(let s, let ns, let kind, _): route = "store \(StoreTarget(s)) \(ns) \(kind.rawValue)"
            case .storeOfUnknownReach(let s, let ns, let kind, let why): route = "unknown \(StoreTarget(s)) \(ns) \(kind.rawValue) \(why)"
            case .credentialSecret(let s, let ns, let name, _): route = "credentials \(StoreTarget(s)) \(ns)/\(name)"
            case .steps(let steps, _): route = steps.map { "\($0.kind.rawValue)>\($0.to)" }.joined(separator: " ")
            }
            let path = r.path.map { p in p.steps.map { "\($0.kind.rawValue)>\(esc.nodes[$0.to])" }.joined(separator: " ") } ?? "direct"
            return "\(r.identity) \(r.certainty) \(route) | \(path) | \(r.grant.map { "\($0)" } ?? "-") \(r.viaMasters)"
        }
        let shared = esc.externalSecretReaders()
        #expect(shared.count > 20)
        for (e, readers) in shared {
            let alone: [VaultReader]
            if e.target.hasExactPrefix("vault:") {
                alone = esc.vaultReaders(of: String(e.target.dropFirst(6)), capability: .read, effective: true)
            } else {
                Issue.record("no Vault path nor store key: \(e.target)")
                continue
            }
            #expect(!readers.isEmpty, "\(e.target)")
            #expect(readers.map(row) == alone.map(row), "\(e.target)")
        }
    }
}
