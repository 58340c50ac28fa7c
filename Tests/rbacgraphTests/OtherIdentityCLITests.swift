import Foundation
import Testing

/// A path that goes on as another identity the start becomes (docs/external-secrets.md, "Two
/// requests, two identities"): kim reads the Secret her ExternalSecret writes as
/// sa:prod/secret-reader; sam's SecretStore gets its ExternalSecret from sa:prod/es-writer. Each
/// output shows that identity's Kubernetes steps as the path's own.
@Suite("steps taken as another identity, on the command line")
struct OtherIdentityCLITests {
    static let world = [
        "-f", "examples/external/cluster.yaml", "-f", "examples/external-identities/cluster.yaml",
        "--vault", "examples/external/vault", "--no-builtin-policy", "-q",
    ]
    static let kim = ["paths", "--from", "user:kim", "--to", "vault:secret/data/shared/db"]

    @Test func pathsCountsAndPrintsTheOtherIdentitysSteps() throws {
        let text = try CLI.run(Self.kim + Self.world)
        #expect(text.status == 0, "\(text.stderr)")
        #expect(text.stdout.contains("5 steps, certain"), "\(text.stdout)")
        #expect(text.stdout.contains("   user:kim, as another identity:\n   2  impersonate"), "\(text.stdout)")

        let json = try CLI.run(Self.kim + Self.world + ["-o", "json"])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any] ?? [:]
        let path = try #require((object["paths"] as? [[String: Any]])?.first)
        let steps = path["steps"] as? [[String: Any]] ?? []
        #expect(steps.compactMap { $0["kind"] as? String } == ["externalsecret-write", "impersonate", "written-secret-read", "store-login", "vault-policy"])
        #expect(steps.compactMap { $0["from"] as? String }.prefix(3) == ["user:kim", "user:kim", "sa:prod/secret-reader"])

        // The picture draws the other identity and the step from it.
        let dot = try CLI.run(Self.kim + Self.world + ["-o", "dot"])
        #expect(dot.stdout.contains("\"sa:prod/secret-reader\"") && dot.stdout.contains("written-secret-read"), "\(dot.stdout)")
    }

    @Test func whoCanNamesTheOtherIdentitysSteps() throws {
        let table = try CLI.run(["who-can", "read", "vault:secret/data/prod/db", "--effective"] + Self.world)
        let sam = table.stdout.split(separator: "\n").first { $0.hasPrefix("user:sam ") }.map(String.init) ?? ""
        #expect(sam.contains("secretstore-write? in prod") && sam.contains("(user:sam ─impersonate→ sa:prod/es-writer) externalsecret-write in prod"), "\(table.stdout)")
        // Without --effective, sam holds nothing himself.
        let direct = try CLI.run(["who-can", "read", "vault:secret/data/prod/db"] + Self.world)
        #expect(!direct.stdout.contains("user:sam"), "\(direct.stdout)")
        let dot = try CLI.run(["who-can", "read", "vault:secret/data/shared/db", "--effective", "-o", "dot"] + Self.world)
        #expect(dot.stdout.contains("(impersonate) written-secret-read"), "\(dot.stdout)")
        // Near miss: erin, who may write ExternalSecrets in prod and become no one, reads nothing.
        let erin = try CLI.run(["paths", "--from", "user:erin", "--to", "vault:secret/data/shared/db"] + Self.world)
        #expect(erin.status == 1, "\(erin.stdout)")
    }
}
