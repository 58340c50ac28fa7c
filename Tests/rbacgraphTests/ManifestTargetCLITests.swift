import Foundation
import Testing

/// The commands on the world of docs/external-secrets.md with `examples/external-targets/`: its
/// ExternalSecrets write a ConfigMap and an Argo CD Application (`spec.target.manifest`), whose
/// readers read the values — and whose names, as Secrets, are no Secret of theirs.
@Suite("objects other than Secrets an ExternalSecret writes, on the command line")
struct ManifestTargetCLITests {
    static let world = [
        "-f", "examples/external/cluster.yaml", "-f", "examples/external-targets/cluster.yaml",
        "--vault", "examples/external/vault", "--no-builtin-policy", "-q",
    ]

    static func json(_ args: [String]) throws -> [String: Any] {
        let r = try CLI.run(args + world + ["-o", "json"])
        #expect(r.status == 0, "\(args): \(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    }

    @Test func secretsListsEachWrittenObjectWithItsReaders() throws {
        let r = try CLI.run(["secrets", "-n", "prod"] + Self.world)
        #expect(r.status == 0)
        #expect(r.stdout.contains("ConfigMap prod/app-config (not a Secret: materialized by ExternalSecret prod/application-config"), "\(r.stdout)")
        #expect(r.stdout.contains("Application (argoproj.io/v1alpha1) prod/my-application (not a Secret"), "\(r.stdout)")
        #expect(r.stdout.contains("guessed from the kind"))
        // No Secret prod/app-config or prod/my-application is said to be written.
        #expect(!r.stdout.contains("Secret prod/app-config (") && !r.stdout.contains("Secret prod/my-application"), "\(r.stdout)")

        let json = try Self.json(["secrets", "-n", "prod"])
        let objects = try #require(json["writtenObjects"] as? [[String: Any]])
        #expect(objects.compactMap { $0["target"] as? String } == [
            "can:get:configmaps:prod:app-config", "can:get:applications.argoproj.io:prod:my-application",
        ])
        let configMap = try #require(objects.first)
        let direct = (configMap["direct"] as? [[String: Any]] ?? []).compactMap { ($0["subject"] as? [String: Any])?["name"] as? String }
        let paths = (configMap["paths"] as? [[String: Any]] ?? []).compactMap { $0["identity"] as? String }
        #expect(direct.contains("dora"), "\(direct)")
        // alice creates pods (which may mount it), bob writes ExternalSecrets through its store.
        #expect(paths.contains("user:alice") && paths.contains("user:bob") && !paths.contains("user:lena"), "\(paths)")
        #expect((configMap["condition"] as? String)?.contains("--unsafe-allow-generic-targets") == true)
    }

    /// Every output format of `secrets` lists the same readers of each object an ExternalSecret
    /// writes: JSON's `writtenObjects`, the table, `--no-headers` (one row each, the object's
    /// target first) and the picture (each reader drawn, and the object the paths end at).
    @Test func everyFormatListsTheWrittenObjectsReaders() throws {
        let json = try Self.json(["secrets", "-n", "prod"])
        var readers: [String: Set<String>] = [:]
        for o in json["writtenObjects"] as? [[String: Any]] ?? [] {
            let target = try #require(o["target"] as? String)
            let direct = (o["direct"] as? [[String: Any]] ?? []).compactMap { d -> String? in
                guard let s = d["subject"] as? [String: Any], let kind = s["kind"] as? String, let name = s["name"] as? String else { return nil }
                return "\(kind.lowercased()):\(name)"
            }
            readers[target] = Set(direct + (o["paths"] as? [[String: Any]] ?? []).compactMap { $0["identity"] as? String })
        }
        #expect(readers["can:get:configmaps:prod:app-config"]?.isSuperset(of: ["user:dora", "user:alice", "user:bob"]) == true, "\(readers)")
        #expect(readers.count == 2)

        // --no-headers: one row per object and reader, the object first.
        let bare = try CLI.run(["secrets", "-n", "prod", "--no-headers"] + Self.world)
        #expect(bare.status == 0, "\(bare.stderr)")
        var rows: [String: Set<String>] = [:]
        for line in bare.stdout.split(separator: "\n") {
            let cells = line.split(separator: " ", omittingEmptySubsequences: true)
            guard cells.count > 2, cells[0].hasPrefix("can:get:") else { continue }
            rows[String(cells[0]), default: []].insert(String(cells[1]))
        }
        #expect(rows == readers, "\(bare.stdout)")
        // The table (and -o wide) lists them too, with the Secrets' columns.
        for format in ["table", "wide"] {
            let table = try CLI.run(["secrets", "-n", "prod", "-o", format] + Self.world)
            let section = table.stdout.components(separatedBy: "ConfigMap prod/app-config (not a Secret").last ?? ""
            #expect(section.contains("READER") && section.contains("HOW") && (format == "table" || section.contains("SOURCE")), "\(table.stdout)")
            for r in readers["can:get:configmaps:prod:app-config"] ?? [] { #expect(section.contains(r), "\(format): \(r)") }
        }

        // The picture: every reader, and the objects the paths through the stores end at.
        let dot = try CLI.run(["secrets", "-n", "prod", "-o", "dot"] + Self.world)
        #expect(dot.status == 0, "\(dot.stderr)")
        for r in readers.values.reduce(Set(), { $0.union($1) }) {
            #expect(dot.stdout.contains("\"\(r)\""), "\(r) is not drawn")
        }
        #expect(dot.stdout.contains("can:get:configmaps:prod:app-config"), "\(dot.stdout)")
        #expect(dot.stdout.contains("can:get:applications.argoproj.io:prod:my-application"))
    }

    @Test func secretsExternalNamesTheObjectTheKeysAreWrittenInto() throws {
        let json = try Self.json(["secrets", "--external"])
        let entries = json["external"] as? [[String: Any]] ?? []
        let namedBy = entries.flatMap { $0["namedBy"] as? [String] ?? [] }
        #expect(namedBy.contains("ExternalSecret prod/application-config (writes ConfigMap prod/app-config)"), "\(namedBy)")
    }

    @Test func evalAnswersForTheWrittenObject() throws {
        let queries = [
            #"{"id":1,"op":"who-can","verb":"get","resource":"configmaps","namespace":"prod","name":"app-config"}"#,
            #"{"id":2,"op":"paths","from":"user:alice","to":"can:get:configmaps:prod:app-config"}"#,
            #"{"id":3,"op":"who-can","verb":"get","resource":"secrets","namespace":"prod","name":"app-config"}"#,
        ]
        let r = try CLI.run(["eval", "--queries", "-"] + Self.world, stdin: queries.joined(separator: "\n") + "\n")
        #expect(r.status == 0, "\(r.stderr)")
        let answers = try r.stdout.split(separator: "\n").map { try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] ?? [:] }
        #expect(answers.count == 3)
        #expect((answers[0]["materializedBy"] as? String)?.contains("ExternalSecret prod/application-config") == true, "\(answers[0])")
        let through = (answers[0]["throughStores"] as? [[String: Any]] ?? []).compactMap { $0["identity"] as? String }
        #expect(through.contains("user:alice") && through.contains("user:bob"), "\(through)")
        #expect(!through.contains("user:dora"), "dora is among the subjects already: \(through)")
        let steps = ((answers[1]["paths"] as? [[String: Any]])?.first?["steps"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(steps == ["written-read"], "\(answers[1])")
        // The Secret of the same name: none is written.
        #expect(answers[2]["materializedBy"] == nil, "\(answers[2])")
    }

    /// A node target naming a role or namespace the input lacks gets a warning.
    @Test func aNodeTargetWithATypoIsWarnedAbout() throws {
        let role = try CLI.run(["paths", "--from", "user:erin", "--to", "holder:ClusterRole/vewer@dev", "-f", "samples/"])
        #expect(role.status == 1 && role.stderr.contains("ClusterRole/vewer is not in the input"), "\(role.stderr)")
        let ns = try CLI.run(["paths", "--from", "user:erin", "--to", "run-pods:dve", "-f", "samples/"])
        #expect(ns.status == 1 && ns.stderr.contains("namespace \"dve\" is not in the input"), "\(ns.stderr)")
    }
}
