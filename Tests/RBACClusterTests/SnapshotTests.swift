import FakeAPIServer
import Foundation
import RBACCluster
import RBACCore
import RBACLoading
import RBACPresentation
import Testing

/// `snapshot` writes what the loader reads back to the same objects.
@Suite("Snapshot: a kind: List that -f loads to the same objects")
struct SnapshotTests {
    static func roundTrip(_ cluster: Cluster, sourceLocation: Testing.SourceLocation = #_sourceLocation) throws {
        for text in [Snapshot.list(cluster).yamlSerialized(), Snapshot.list(cluster).prettySerialized()] {
            let again = try ManifestLoader().load(yaml: text, name: "snapshot")
            #expect(!again.hasErrors, "\(again.diagnostics.prefix(3))", sourceLocation: sourceLocation)
            let a = again.cluster.withoutSources, b = cluster.withoutSources
            #expect(a.roles == b.roles, sourceLocation: sourceLocation)
            #expect(a.bindings == b.bindings, sourceLocation: sourceLocation)
            #expect(a.serviceAccounts == b.serviceAccounts, sourceLocation: sourceLocation)
            #expect(a.namespaces == b.namespaces, sourceLocation: sourceLocation)
            #expect(a.secrets == b.secrets, sourceLocation: sourceLocation)
            #expect(a.workloads == b.workloads, sourceLocation: sourceLocation)
            let ea = SnapshotExternalTests.withoutSources(again.cluster.external), eb = SnapshotExternalTests.withoutSources(cluster.external)
            #expect(ea.stores == eb.stores && ea.externalSecrets == eb.externalSecrets && ea.providerClasses == eb.providerClasses
                && ea.customResourceDefinitions == eb.customResourceDefinitions, sourceLocation: sourceLocation)
        }
    }

    @Test("every kind and pod-spec fact of the small world")
    func smallWorldRoundTrip() throws {
        let loaded = try ManifestLoader().load(yaml: smallWorld)
        #expect(loaded.cluster.workloads.count == 3)
        try Self.roundTrip(loaded.cluster)
    }

    @Test("the documented external world: Vault Agent annotations, CSI volumes, stores, ExternalSecrets, SecretProviderClasses")
    func externalWorld() throws {
        let text = try String(contentsOf: Where.packageRoot.appendingPathComponent("examples/external/cluster.yaml"), encoding: .utf8)
        let loaded = try ManifestLoader().load(yaml: text)
        #expect(loaded.cluster.workloads.contains { !$0.template.vaultAnnotations.isEmpty })
        #expect(loaded.cluster.workloads.contains { !$0.template.secretProviderClasses.isEmpty })
        #expect(!loaded.cluster.external.stores.isEmpty && !loaded.cluster.external.externalSecrets.isEmpty)
        try Self.roundTrip(loaded.cluster)
    }

    @Test("the bundled conformance worlds")
    func conformanceWorlds() throws {
        var count = 0
        for suite in ["kubernetes-tests", "random"] {
            for folder in LiveConformanceTests.worlds(in: Where.conformanceFixtures.appendingPathComponent(suite)) {
                guard let world = ["world.yaml", "policy.json"].map({ folder.appendingPathComponent($0) }).first(where: Where.exists) else { continue }
                try Self.roundTrip(try ManifestLoader().load(paths: [world.path]).cluster)
                count += 1
            }
        }
        #expect(count == 134)
    }

    @Test(
        "the real-manifest corpus (../shared/corpus), workloads and all",
        .enabled(if: Where.exists(Where.shared.appendingPathComponent("corpus")), "../shared/corpus is absent"))
    func corpus() throws {
        let loaded = try ManifestLoader().load(paths: [Where.shared.appendingPathComponent("corpus").path])
        #expect(loaded.cluster.workloads.count > 0)
        try Self.roundTrip(loaded.cluster)
    }
}
