import FakeAPIServer
import Foundation
import RBACCluster
import RBACCore
import RBACLoading
import Testing

/// The External Secrets Operator's and the Secrets Store CSI Driver's custom resources on a
/// live cluster: read when served, as `-f` loads them; silently absent when not installed; a
/// gap naming what it hides when refused.
@Suite("Live reads of external secret objects", .enabled(if: Certs.available, "openssl is not installed (make deps)"))
struct LiveExternalTests {
    /// The documented example world (docs/external-secrets.md).
    static var exampleYAML: String {
        get throws {
            try String(contentsOf: Where.packageRoot.appendingPathComponent("examples/external/cluster.yaml"), encoding: .utf8)
        }
    }
    static var vaultDir: String { Where.packageRoot.appendingPathComponent("examples/external/vault").path }

    /// The CustomResourceDefinitions that make the fake server serve the kinds, at `version`.
    static func crds(esoVersion version: String) -> String {
        let eso: [(plural: String, kind: String, scope: String)] = [
            ("secretstores", "SecretStore", "Namespaced"), ("clustersecretstores", "ClusterSecretStore", "Cluster"),
            ("externalsecrets", "ExternalSecret", "Namespaced"), ("clusterexternalsecrets", "ClusterExternalSecret", "Cluster"),
            ("pushsecrets", "PushSecret", "Namespaced"),
        ]
        var docs = eso.map { c in
            // PushSecret is served at v1alpha1 only, in every release.
            let version = c.kind == "PushSecret" ? "v1alpha1" : version
            return """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: \(c.plural).external-secrets.io}
            spec:
              group: external-secrets.io
              scope: \(c.scope)
              names: {plural: \(c.plural), singular: \(c.kind.lowercased()), kind: \(c.kind)}
              versions: [{name: \(version), served: true, storage: true}]
            """
        }
        docs.append("""
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: secretproviderclasses.secrets-store.csi.x-k8s.io}
            spec:
              group: secrets-store.csi.x-k8s.io
              scope: Namespaced
              names: {plural: secretproviderclasses, singular: secretproviderclass, kind: SecretProviderClass}
              versions: [{name: v1, served: true, storage: true}]
            """)
        return docs.joined(separator: "\n---\n") + "\n---\n"
    }

    /// The example world on a cluster serving the kinds at `esoVersion` (objects written at
    /// that version too, as the API server would convert them).
    static func servingWorld(esoVersion: String = "v1") throws -> FakeWorld {
        let objects = try exampleYAML.replacingOccurrences(of: "apiVersion: external-secrets.io/v1\n", with: "apiVersion: external-secrets.io/\(esoVersion)\n")
        return try LiveFixture.world(crds(esoVersion: esoVersion) + objects)
    }

    @Test("served kinds are read as -f loads the same objects, at the version discovery offers", arguments: ["v1", "v1beta1", "v1alpha1"])
    func sameAsFiles(esoVersion: String) async throws {
        let fx = try LiveFixture(world: try Self.servingWorld(esoVersion: esoVersion))
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig())
        #expect(read.gaps.isEmpty, "\(read.gaps)")
        #expect(read.diagnostics.isEmpty, "\(read.diagnostics)")
        let files = try ManifestLoader().load(yaml: try Self.exampleYAML).cluster.external
        let got = read.cluster.external
        #expect(!got.stores.isEmpty && !got.externalSecrets.isEmpty && !got.providerClasses.isEmpty)
        #expect(Set(got.stores.map { var s = $0; s.source = nil; return s }) == Set(files.stores.map { var s = $0; s.source = nil; return s }))
        #expect(
            Set(got.externalSecrets.map { var s = $0; s.source = nil; return s })
                == Set(files.externalSecrets.map { var s = $0; s.source = nil; return s }))
        #expect(got.providerClasses.map(\.name).sorted() == files.providerClasses.map(\.name).sorted())
        // Each kind listed once, at the served version.
        // (PushSecret is served at v1alpha1 only.)
        let esoLists = fx.server.received.filter { $0.path.hasPrefix("/apis/external-secrets.io/") && $0.path.contains("?") && !$0.path.contains("/pushsecrets?") }.map(\.path)
        #expect(!esoLists.isEmpty && esoLists.allSatisfy { $0.hasPrefix("/apis/external-secrets.io/\(esoVersion)/") }, "\(esoLists)")
        #expect(esoLists.filter { $0.contains("/externalsecrets?") }.count == 1)
        #expect(fx.server.violations.isEmpty, "\(fx.server.violations)")
    }

    @Test("who-can and paths to vault: and store: targets answer the same live as from the file", arguments: [
        ["who-can", "read", "vault:secret/data/prod/db"],
        ["who-can", "read", "vault:secret/data/shared/db", "--effective"],
        ["who-can", "use", "store:prod/vault-backend", "--effective"],
        ["paths", "--from", "user:bob", "--to", "vault:secret/data/shared/db"],
        ["paths", "--from", "user:alice", "--to", "store:prod/vault-backend"],
        ["secrets", "--external", "-o", "json"],
    ])
    func sameAnswers(query: [String]) throws {
        let fx = try LiveFixture(world: try Self.servingWorld())
        let dir = try Where.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.exampleYAML.write(toFile: dir + "/cluster.yaml", atomically: true, encoding: .utf8)
        let live = try Binary.run(query + ["--vault", Self.vaultDir, "-q", "--kubeconfig", try fx.tokenKubeconfig()])
        // A cluster serves its own bootstrap policy; the fake one serves none, like the file without it.
        let file = try Binary.run(query + ["--vault", Self.vaultDir, "-q", "-f", dir + "/cluster.yaml", "--no-builtin-policy"])
        #expect(live.status == file.status, "\(live.stderr)\(file.stderr)")
        #expect(file.status == 0, "\(file.stdout)\(file.stderr)")
        // The same answer; only where each object came from differs (the list's URL, the file's line).
        func located(_ text: String, at origin: String) -> String {
            text.replacingOccurrences(of: #"\#(origin)[^\s":,]*(:\d+)+"#, with: "LOCATION", options: .regularExpression)
        }
        #expect(located(live.stdout, at: fx.server.url) == located(file.stdout, at: dir))
        #expect(!live.stdout.isEmpty)
    }

    static let snapshotQueries: [[String]] = [
        ["who-can", "read", "vault:secret/data/prod/db"],
        ["who-can", "read", "vault:secret/data/shared/db", "--effective"],
        ["who-can", "use", "store:prod/vault-backend", "--effective"],
        ["who-can", "use", "clusterstore:teams", "--effective"],
        ["paths", "--from", "user:bob", "--to", "vault:secret/data/shared/db"],
        ["paths", "--from", "user:alice", "--to", "vault:secret/data/prod/*"],
        ["paths", "--from", "user:alice", "--to", "store:prod/vault-backend"],
        ["secrets", "--external"],
        ["secrets", "--external", "-o", "json"],
    ]

    @Test("answers from -f on a snapshot equal the live answers, through stores, ExternalSecrets and SecretProviderClasses", arguments: snapshotQueries)
    func snapshotSameAnswers(query: [String]) throws {
        let fx = try LiveFixture(world: try Self.servingWorld())
        let dir = try Where.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let snapshot = try Binary.run(["snapshot", "--output-file", dir + "/snapshot.yaml", "--kubeconfig", try fx.tokenKubeconfig()])
        #expect(snapshot.status == 0 && !snapshot.stderr.contains("warning:"), "\(snapshot.stderr)")
        let live = try Binary.run(query + ["--vault", Self.vaultDir, "-q", "--kubeconfig", try fx.tokenKubeconfig()])
        let file = try Binary.run(query + ["--vault", Self.vaultDir, "-q", "-f", dir + "/snapshot.yaml", "--no-builtin-policy"])
        #expect(live.status == 0 && file.status == 0, "\(live.stderr)\(file.stderr)")
        func located(_ text: String, at origin: String) -> String {
            text.replacingOccurrences(of: #"\#(origin)[^\s":,]*(:\d+)+"#, with: "LOCATION", options: .regularExpression)
        }
        #expect(located(live.stdout, at: fx.server.url) == located(file.stdout, at: dir + "/snapshot.yaml"))
        // Answers through the external objects, not an empty table on both sides.
        #expect(live.stdout.contains("vault:") || live.stdout.contains("store:") || live.stdout.contains("ExternalSecret"), "\(live.stdout)")
    }

    @Test("snapshot writes the external objects and no notice; --vault is named as not written")
    func snapshotWritesExternalObjects() throws {
        let fx = try LiveFixture(world: try Self.servingWorld())
        let out = try Binary.run(["snapshot", "--kubeconfig", try fx.tokenKubeconfig()])
        #expect(out.status == 0 && !out.stderr.contains("warning:"), "\(out.stderr)")
        for kind in ["SecretStore", "ClusterSecretStore", "ExternalSecret", "SecretProviderClass"] {
            #expect(out.stdout.contains("kind: \(kind)\n"), "\(kind)")
        }
        #expect(!out.stdout.contains("not written"))
        // What it writes holds the pod side too: Vault Agent annotations and CSI volumes.
        #expect(out.stdout.contains("vault.hashicorp.com/agent-inject") && out.stdout.contains("secretProviderClass:"))
        let withVault = try Binary.run(["snapshot", "--vault", Self.vaultDir, "--kubeconfig", try fx.tokenKubeconfig()])
        #expect(withVault.status == 0)
        let note = "Vault roles and policies (--vault) are not in the snapshot: give --vault DIR again with -f"
        #expect(withVault.stderr.contains("warning: " + note) && withVault.stdout.contains("# " + note), "\(withVault.stderr)")
    }

    @Test("a custom kind an ExternalSecret writes takes its plural from discovery live, and the snapshot keeps it as a CRD")
    func targetPluralFromDiscovery() throws {
        let targets = try String(contentsOf: Where.packageRoot.appendingPathComponent("examples/external-targets/cluster.yaml"), encoding: .utf8)
        let application = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: argoapps.argoproj.io}
            spec:
              group: argoproj.io
              scope: Namespaced
              names: {plural: argoapps, singular: argoapp, kind: Application}
              versions: [{name: v1alpha1, served: true, storage: true}]
            ---

            """
        let fx = try LiveFixture(world: try LiveFixture.world(Self.crds(esoVersion: "v1") + application + Self.exampleYAML + "\n---\n" + targets))
        let dir = try Where.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let snapshot = try Binary.run(["snapshot", "--output-file", dir + "/snapshot.yaml", "--kubeconfig", try fx.tokenKubeconfig()])
        #expect(snapshot.status == 0, "\(snapshot.stderr)")
        let written = try String(contentsOfFile: dir + "/snapshot.yaml", encoding: .utf8)
        #expect(written.contains("kind: CustomResourceDefinition") && written.contains("plural: argoapps"))
        let query = ["secrets", "-n", "prod", "--vault", Self.vaultDir, "-q"]
        let live = try Binary.run(query + ["--kubeconfig", try fx.tokenKubeconfig()])
        let file = try Binary.run(query + ["-f", dir + "/snapshot.yaml", "--no-builtin-policy"])
        #expect(live.status == 0 && file.status == 0, "\(live.stderr)\(file.stderr)")
        #expect(live.stdout.contains("can:get:argoapps.argoproj.io:prod:my-application") && !live.stdout.contains("guessed"), "\(live.stdout)")
        func located(_ text: String, at origin: String) -> String {
            text.replacingOccurrences(of: #"\#(origin)[^\s":,]*(:\d+)+"#, with: "LOCATION", options: .regularExpression)
        }
        #expect(located(live.stdout, at: fx.server.url) == located(file.stdout, at: dir + "/snapshot.yaml"))
    }

    @Test("a cluster not serving them: nothing asked for, no gap, nothing on stderr")
    func notServed() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig())
        #expect(read.gaps.isEmpty, "\(read.gaps)")
        #expect(read.cluster.external.isEmpty)
        #expect(!fx.server.received.contains { $0.path.contains("external-secrets.io") || $0.path.contains("secrets-store.csi") })
        let out = try Binary.run(["who-can", "get", "secrets", "-n", "prod", "--kubeconfig", try fx.tokenKubeconfig()])
        #expect(out.status == 0 && !out.stderr.contains("could not read") && !out.stdout.contains("not read"), "\(out.stdout)\(out.stderr)")
    }

    @Test("served but forbidden: a gap naming the resource, the answers it affects, and exit 3")
    func forbidden() async throws {
        let fx = try LiveFixture(world: try Self.servingWorld())
        fx.server.faults.forbidden = ["externalsecrets"]
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig())
        #expect(read.gaps.map(\.resource) == ["externalsecrets"])
        #expect(read.gaps.first?.status == 403)
        #expect(read.unknownFacts == [.externalSecrets])
        #expect(read.rbacComplete)
        #expect(read.cluster.external.externalSecrets.isEmpty && !read.cluster.external.stores.isEmpty)

        let out = try Binary.run(["who-can", "read", "vault:secret/data/prod/db", "--vault", Self.vaultDir, "--kubeconfig", try fx.tokenKubeconfig()])
        #expect(out.status == 3, "\(out.stdout)\(out.stderr)")
        #expect(out.stderr.contains("could not read externalsecrets: forbidden"))
        #expect(out.stdout.contains("external secret objects unknown, not absent"), "\(out.stdout)")
    }
}
