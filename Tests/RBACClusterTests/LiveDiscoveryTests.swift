import FakeAPIServer
import Foundation
import RBACCluster
import RBACCore
import Testing

/// When discovery fails — the group list (`/apis`) or one group-version's resource list (an
/// aggregated API that is down) — a custom resource is listed at each version the group may
/// serve, the group's preferred first, until one answers: a `404` means "not at this version",
/// and another version is tried; any other answer is the read's.
@Suite("Live reads when discovery fails", .enabled(if: Certs.available, "openssl is not installed (make deps)"))
struct LiveDiscoveryTests {
    /// The example world served at `esoVersion`, discovery failing as `failing` says.
    static func fixture(esoVersion: String, failing: Set<String>) throws -> LiveFixture {
        let fx = try LiveFixture(world: try LiveExternalTests.servingWorld(esoVersion: esoVersion))
        fx.server.faults.failingDiscovery = failing
        return fx
    }

    /// The versions of external-secrets.io at which `resource` was listed, in order.
    static func listed(_ resource: String, in fx: LiveFixture) -> [String] {
        fx.server.received.compactMap { r -> String? in
            guard r.path.hasPrefix("/apis/external-secrets.io/"), r.path.contains("/\(resource)?") else { return nil }
            return r.path.split(separator: "/")[2].description
        }
    }

    /// The group's own resource list is down, but `/apis` says it serves v1beta1 only: it is
    /// listed there (before, v1 was tried alone and answered 404: no object was read).
    @Test("a group-version whose discovery fails is listed at the version the group serves")
    func groupVersionDown() async throws {
        let fx = try Self.fixture(esoVersion: "v1beta1", failing: ["external-secrets.io/v1beta1"])
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig(), options: LiveFixture.quickOptions)
        #expect(!read.cluster.external.externalSecrets.isEmpty && !read.cluster.external.stores.isEmpty)
        #expect(Self.listed("externalsecrets", in: fx) == ["v1beta1"])
        // Discovery is said to be incomplete; no list is a gap.
        #expect(read.gaps.map(\.resource) == ["discovery"], "\(read.gaps)")
    }

    /// `/apis` itself is down: each version rbacgraph reads is tried in turn, v1, v1beta1, v1alpha1.
    @Test("the group list down: each version is tried until one answers", arguments: ["v1", "v1beta1", "v1alpha1"])
    func groupListDown(esoVersion: String) async throws {
        let fx = try Self.fixture(esoVersion: esoVersion, failing: ["apis"])
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig(), options: LiveFixture.quickOptions)
        #expect(!read.cluster.external.externalSecrets.isEmpty)
        let order = ["v1", "v1beta1", "v1alpha1"]
        #expect(Self.listed("externalsecrets", in: fx) == Array(order[...order.firstIndex(of: esoVersion)!]))
        #expect(read.gaps.map(\.resource) == ["discovery"], "\(read.gaps)")
        // The built-in kinds are read too.
        #expect(!read.cluster.roles.isEmpty && !read.cluster.bindings.isEmpty)
    }

    /// Near misses: a cluster serving no such group (every version answers 404) reads none and
    /// records no gap for them; a refusal at the first version is a gap, and no other version is
    /// asked (RBAC decides by group and resource, not version).
    @Test("not installed, every version 404: no gap for it; forbidden: a gap, no other version tried")
    func nearMisses() async throws {
        let bare = try LiveFixture(world: try LiveFixture.world(smallWorld))
        bare.server.faults.failingDiscovery = ["apis"]
        let none = try await bare.read(kubeconfig: try bare.tokenKubeconfig(), options: LiveFixture.quickOptions)
        #expect(none.cluster.external.isEmpty)
        #expect(Self.listed("externalsecrets", in: bare) == ["v1", "v1beta1", "v1alpha1"])
        #expect(none.gaps.map(\.resource) == ["discovery"], "\(none.gaps)")

        let refused = try Self.fixture(esoVersion: "v1", failing: ["apis"])
        refused.server.faults.forbidden = ["externalsecrets"]
        let read = try await refused.read(kubeconfig: try refused.tokenKubeconfig(), options: LiveFixture.quickOptions)
        #expect(Self.listed("externalsecrets", in: refused) == ["v1"])
        #expect(read.gaps.contains { $0.resource == "externalsecrets" && $0.status == 403 }, "\(read.gaps)")
        #expect(read.cluster.external.externalSecrets.isEmpty && !read.cluster.external.stores.isEmpty)
    }
}
