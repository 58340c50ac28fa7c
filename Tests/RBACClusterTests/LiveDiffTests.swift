import Foundation
import Testing

/// `rbacgraph diff` with a live cluster as a side (`context:NAME`): drift between the manifests
/// and what the cluster holds, through the fake API server on loopback.
@Suite("diff against a live cluster", .enabled(if: Certs.available, "openssl is not installed (make deps)"))
struct LiveDiffTests {
    /// The manifests the cluster was deployed from, before someone added alice by hand.
    static let manifests = smallWorld.replacingOccurrences(of: "- {kind: User, name: alice, apiGroup: rbac.authorization.k8s.io}\n", with: "")

    @Test("manifests vs the cluster: what the cluster grants beyond the manifests, caused by the live binding's subject")
    func drift() throws {
        #expect(Self.manifests != smallWorld, "the manifests drop alice's subject")
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let dir = try Where.tempDir()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Self.manifests.write(toFile: dir + "/manifests.yaml", atomically: true, encoding: .utf8)
        // The fake cluster serves no bootstrap policy: the manifests side gets none either.
        let out = try Binary.run([
            "diff", "--base", dir + "/manifests.yaml", "--head", "context:fake", "--kubeconfig", try fx.tokenKubeconfig(),
            "--no-builtin-policy", "--fail-on", "sensitive",
        ])
        #expect(out.status == 2, "a sensitive gain: \(out.stdout)\(out.stderr)")
        // Objects read from the cluster are in no file: none "moved".
        #expect(out.stdout.hasPrefix("1 identity gains access (1 sensitive); 1 object change. privilege paths: 1 gained; secrets: 1 gains readers;"), "\(out.stdout)")
        #expect(out.stdout.contains("user:alice\n  in prod:\n    + get,list secrets  [sensitive: reads secrets]\n"))
        // Where: the manifest's file and line, and the cluster's list response.
        #expect(out.stdout.contains("because RoleBinding/prod/read-secrets subject added User \"alice\" [base \(dir)/manifests.yaml:17:1, head \(fx.server.url)/apis/rbac.authorization.k8s.io/v1/rolebindings:"))
        // Reading prod's secrets reads app's legacy token: a path to the service account.
        #expect(out.stdout.contains("Privilege paths gained:\n  user:alice → sa:prod/app in 3 steps (certain): secrets-read → every secret of prod; contains-secret → secret prod/app-token; read-token → sa:prod/app\n"))
        #expect(out.stdout.contains("Secret exposure:\n  every secret of prod:\n    + user:alice get,list\n"))
        #expect(out.stderr.contains("reading the cluster of context \"fake\""))
        #expect(out.stderr.contains("--fail-on: 1 identity gains sensitive access; 1 secret scope gains readers"))
        #expect(fx.server.violations.isEmpty)
    }

    @Test("the cluster against itself: no change, exit 0 with every gate")
    func itself() throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let kc = try fx.tokenKubeconfig()
        let out = try Binary.run(["diff", "--base", "context:fake", "--head", "context:fake", "--kubeconfig", kc, "-q", "--fail-on", "gain", "--fail-on", "path"])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(out.stdout == "No access changes.\n")
    }

    @Test("a context the kubeconfig does not have: an error, exit 1")
    func unknownContext() throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let out = try Binary.run(["diff", "--base", "context:nowhere", "--head", "context:fake", "--kubeconfig", try fx.tokenKubeconfig()])
        #expect(out.status == 1)
        #expect(out.stderr.contains("nowhere"), "\(out.stderr)")
    }

    @Test("a context side with no kubeconfig anywhere: an error naming the context and --kubeconfig, never diff's refused --context")
    func noKubeconfig() throws {
        let out = try Binary.run(["diff", "--base", "examples/diff/base", "--head", "context:prod"], env: ["HOME": "/nonexistent"])
        #expect(out.status == 1)
        #expect(out.stderr.contains("to look up context \"prod\" in: give --kubeconfig FILE"), "\(out.stderr)")
        #expect(!out.stderr.contains("--context"), "\(out.stderr)")
    }

    @Test(
        "usage errors: a cluster side is one context:NAME, --context is not diff's, --kubeconfig needs a cluster side",
        arguments: [
            (["--base", "context:fake", "a.yaml", "--head", "b.yaml"], "A side is files or one cluster"),
            (["--base", "context:", "--head", "b.yaml"], "A side is files or one cluster"),
            (["--base", "a.yaml", "--head", "b.yaml", "--context", "fake"], "give a cluster as a side, context:NAME"),
            (["--base", "a.yaml", "--head", "b.yaml", "--kubeconfig", "kc"], "--kubeconfig and --no-secrets go with a side that is a cluster"),
        ] as [([String], String)])
    func usage(_ args: [String], message: String) throws {
        let out = try Binary.run(["diff"] + args)
        #expect(out.status == 64)
        #expect(out.stderr.contains(message), "\(out.stderr)")
    }
}
