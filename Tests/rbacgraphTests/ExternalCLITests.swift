import Foundation
import Testing

/// `--vault DIR`, `who-can CAPABILITY vault:PATH` and `secrets --external` as a user meets them:
/// exit codes, bad input, JSON shape (the answers themselves: docs/external-secrets.md, run by
/// the README test, and ExternalWorldTests).
@Suite("secrets outside Kubernetes on the command line")
struct ExternalCLITests {
    static let world = ["-f", "examples/external/cluster.yaml", "--vault", "examples/external/vault", "--no-builtin-policy"]

    @Test("a verb that is no Vault capability, or a picture, is a usage error", arguments: [
        ["who-can", "get", "vault:secret/data/prod/db"],
        ["who-can", "deny", "vault:secret/data/prod/db"],
        ["who-can", "read", "vault:"],
        ["who-can", "read", "vault:secret/data/prod/db", "-o", "wide"],
    ])
    func usageErrors(_ args: [String]) throws {
        let r = try CLI.run(args + Self.world)
        #expect(r.status == 64, "\(r.stderr)")
    }

    @Test func aMissingVaultFolderExits3AndStillAnswers() throws {
        let r = try CLI.run(["who-can", "read", "vault:secret/data/prod/db", "-f", "examples/external/cluster.yaml", "--vault", "no/such/folder"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("no/such/folder: error: --vault needs a folder"))
        #expect(r.stdout.contains("Identities allowed to read vault:secret/data/prod/db"))
    }

    @Test func aBrokenPolicyIsLocatedAndTheRestLoads() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-vault-cli-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sys/policy"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("auth/kubernetes/role"), withIntermediateDirectories: true)
        try "path \"secret/*\" {\n  capabilities = [\"reed\"]\n}\n".write(to: dir.appendingPathComponent("sys/policy/bad.hcl"), atomically: true, encoding: .utf8)
        try "path \"secret/data/prod/*\" { capabilities = [\"read\"] }\n".write(to: dir.appendingPathComponent("sys/policy/web.hcl"), atomically: true, encoding: .utf8)
        try #"{"bound_service_account_names": ["web"], "bound_service_account_namespaces": ["prod"], "token_policies": ["web", "bad"]}"#
            .write(to: dir.appendingPathComponent("auth/kubernetes/role/web.json"), atomically: true, encoding: .utf8)
        let r = try CLI.run(["who-can", "read", "vault:secret/data/prod/db", "-f", "examples/external/cluster.yaml", "--vault", dir.path, "--no-builtin-policy", "-o", "json"])
        #expect(r.status == 3)
        #expect(r.stderr.contains("sys/policy/bad.hcl:2:19: error: path \"secret/*\": invalid capability \"reed\""), "\(r.stderr)")
        // The web policy still loads and grants; the broken one is a policy the token holds
        // that the input lacks, said in the answer.
        #expect(r.stdout.contains("\"identity\" : \"sa:prod/web\"") || r.stdout.contains("\"identity\": \"sa:prod/web\""), "\(r.stdout)")
        let strict = try CLI.run(["who-can", "read", "vault:secret/data/prod/db", "-f", "examples/external/cluster.yaml", "--vault", dir.path, "--strict"])
        #expect(strict.status == 3)
        #expect(strict.stdout.isEmpty)
    }

    @Test func jsonNamesTheRoute() throws {
        let r = try CLI.run(["who-can", "read", "vault:secret/data/shared/db", "-o", "json"] + Self.world)
        #expect(r.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        let ids = (json?["identities"] as? [[String: Any]])?.compactMap { $0["identity"] as? String }
        #expect(ids?.contains("user:bob") == true)
        let bob = (json?["identities"] as? [[String: Any]])?.first { $0["identity"] as? String == "user:bob" }
        #expect(bob?["route"] as? String == "store")
        #expect(bob?["store"] as? String == "store:prod/vault-backend")
        #expect((bob?["vault"] as? [String: Any])?["pattern"] as? String == "secret/data/shared/*")
    }

    @Test func thePictureDrawsEveryRoute() throws {
        let r = try CLI.run(["who-can", "read", "vault:secret/data/shared/db", "-o", "dot"] + Self.world)
        #expect(r.status == 0)
        for label in ["user:bob", "SecretStore\\nprod/vault-backend", "Vault auth/kubernetes/role/eso", "path \\\"secret/data/shared/*\\\"", "vault:secret/data/shared/db"] {
            #expect(r.stdout.contains(label), "\(label) in \(r.stdout)")
        }
    }

    @Test func inputsWithoutTheseKindsAnswerAsBefore() throws {
        // No --vault: a warning, and no identity (no silent guess).
        let r = try CLI.run(["who-can", "read", "vault:secret/data/prod/db", "-f", "samples/"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("no Vault roles or policies in the input"))
        #expect(r.stdout.contains("(none)"))
    }

    @Test("a bad store target, verb or flag is a usage error", arguments: [
        ["who-can", "get", "store:prod/vault-backend"],
        ["who-can", "use", "store:prod"],
        ["who-can", "use", "store:prod/vault-backend", "-n", "prod"],
        ["who-can", "use", "store:prod/vault-backend", "-o", "wide"],
        ["paths", "--from", "user:bob", "--to", "store:prod/"],
        ["paths", "--from", "user:bob", "--to", "clusterstore:teams", "--capability", "list"],
        ["paths", "--from", "user:bob", "--to", "store:*/"],
        ["paths", "--from", "user:bob", "--to", "clusterstore:*"],
    ])
    func storeUsageErrors(_ args: [String]) throws {
        let r = try CLI.run(args + Self.world)
        #expect(r.status == 64, "\(args): \(r.stderr)")
        #expect(!r.stderr.isEmpty)
    }

    /// A store the input lacks (an ExternalSecret may name one: `secrets --external` prints
    /// it) is answered on the condition that it exists, with a warning naming the stores the
    /// input holds, so that a typo is seen.
    @Test func aMissingStoreIsNamedWithTheStoresOfTheInput() throws {
        let r = try CLI.run(["paths", "--from", "user:bob", "--to", "store:prod/nope"] + Self.world)
        #expect(r.status == 0)
        #expect(r.stderr.contains("store:prod/nope is not in the input (its stores: store:prod/vault-backend, clusterstore:teams, clusterstore:aws-shared): the answer is for such a store if it exists"), "\(r.stderr)")
        #expect(r.stdout.contains("conditional: 1 not shown") && r.stdout.contains("SecretStore prod/nope exists (the input does not hold it)"), "\(r.stdout)")
        // carol writes ExternalSecrets in dev only, and reads no Secret there.
        #expect(try CLI.run(["paths", "--from", "user:carol", "--to", "store:prod/nope"] + Self.world).status == 1)
        #expect(try CLI.run(["paths", "--from", "user:carol", "--to", "clusterstore:nope"] + Self.world).status == 1)
        let cluster = try CLI.run(["paths", "--from", "user:bob", "--to", "clusterstore:nope"] + Self.world)
        #expect(cluster.status == 0 && cluster.stdout.contains("ClusterSecretStore nope exists and its conditions admit namespace prod (the input does not hold it)"), "\(cluster.stdout)")
        #expect(try CLI.run(["who-can", "use", "clusterstore:nope", "-o", "json"] + Self.world).stdout.contains("\"note\""))
    }

    /// A Vault pattern given to `who-can` means some path under it, as `paths --to` reads it:
    /// `secret/data/+/db` is `secret/data/prod/db` for the web role, not a path named with a `+`.
    @Test func whoCanReadsAVaultPatternAsPathsDoes() throws {
        let r = try CLI.run(["who-can", "read", "vault:secret/data/+/db"] + Self.world)
        #expect(r.status == 0)
        #expect(r.stdout.contains("sa:prod/web ") && r.stdout.contains("sa:prod/eso-reader "), "\(r.stdout)")
        let eval = try CLI.run(["eval", "--queries", "-"] + Self.world, stdin: #"{"op":"who-can","verb":"read","resource":"vault:secret/data/+/db"}"# + "\n")
        #expect(eval.stdout.contains("\"identity\":\"sa:prod/web\"") && !eval.stdout.contains("error"), "\(eval.stdout)")
        // No path under secret/data/+/admin/x is readable: the web policy denies prod/admin.
        #expect(!(try CLI.run(["who-can", "read", "vault:secret/data/prod/admin/+"] + Self.world)).stdout.contains("sa:prod/web"))
    }

    /// `vault kv get secret/prod/db` reads `secret/data/prod/db`: the `vault kv` spelling of a
    /// KV version 2 secret is answered (nobody), with the API path to ask for instead, in
    /// who-can, paths and eval; the API path itself gets no such warning.
    @Test func aKVVersion2SecretWrittenAsVaultKVSpellsItIsNamedByItsAPIPath() throws {
        let hint = "vault:secret/prod/db names no KV version 2 secret: secret/ is KV version 2"
        let whoCan = try CLI.run(["who-can", "read", "vault:secret/prod/db"] + Self.world)
        #expect(whoCan.status == 0 && whoCan.stdout.contains("(none)"), "\(whoCan.stdout)")
        #expect(whoCan.stderr.contains(hint) && whoCan.stderr.contains("`vault kv get secret/prod/db` uses vault:secret/data/prod/db"), "\(whoCan.stderr)")
        let paths = try CLI.run(["paths", "--from", "user:alice", "--to", "vault:secret/prod/db"] + Self.world)
        #expect(paths.stderr.contains(hint), "\(paths.stderr)")
        let list = try CLI.run(["who-can", "list", "vault:secret/prod"] + Self.world)
        #expect(list.stderr.contains("`vault kv list secret/prod` uses vault:secret/metadata/prod"), "\(list.stderr)")
        let eval = try CLI.run(["eval", "--queries", "-"] + Self.world, stdin: #"{"op":"who-can","verb":"read","resource":"vault:secret/prod/db"}"# + "\n")
        #expect(eval.stdout.contains("\"note\":\"\(hint)"), "\(eval.stdout)")
        let api = try CLI.run(["who-can", "read", "vault:secret/data/prod/db"] + Self.world)
        #expect(api.stdout.contains("sa:prod/web ") && !api.stderr.contains("KV version 2"), "\(api.stderr)")
    }

    /// Deployment prod/web's Vault Agent logs in with role `web` and reads
    /// `secret/data/prod/db` (its annotations). A folder without that role cannot say what the
    /// login reaches: the service account, and whoever runs pods as it, are readers of
    /// unknown certainty — before, the answer was a quiet "nobody".
    @Test func aVaultAgentRoleTheFolderLacksLeavesItsPathsUnknownNotUnread() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-vault-agent-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sys/policy"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("auth/kubernetes/role"), withIntermediateDirectories: true)
        for f in ["sys/policy/eso.hcl", "auth/kubernetes/role/eso.json"] {
            try FileManager.default.copyItem(at: CLI.packageRoot.appendingPathComponent("examples/external/vault/\(f)"), to: dir.appendingPathComponent(f))
        }
        let world = ["-f", "examples/external/cluster.yaml", "--vault", dir.path, "--no-builtin-policy"]
        let unknown = "its role auth/kubernetes/role/web is not in --vault"
        let direct = try CLI.run(["who-can", "read", "vault:secret/data/prod/db"] + world)
        let row = direct.stdout.split(separator: "\n").first { $0.hasPrefix("sa:prod/web ") }
        #expect(row?.contains("unknown    vault-login? in prod → vault:secret/data/prod/db") == true, "\(direct.stdout)")
        let json = try CLI.run(["who-can", "read", "vault:secret/data/prod/db", "-o", "json"] + world).stdout
        #expect(json.contains("Deployment prod/web's Vault Agent logs in as sa:prod/web with role web") && json.contains(unknown), "\(json)")
        let effective = try CLI.run(["who-can", "read", "vault:secret/data/prod/db", "--effective"] + world)
        let alice = effective.stdout.split(separator: "\n").first { $0.hasPrefix("user:alice ") }
        #expect(alice?.contains("unknown") == true && alice?.contains("run-as") == true, "\(effective.stdout)")
        let paths = try CLI.run(["paths", "--from", "user:alice", "--to", "vault:secret/data/prod/db"] + world)
        #expect(paths.status == 0 && paths.stdout.contains(unknown), "\(paths.stdout)")
        let secrets = try CLI.run(["secrets", "--external"] + world)
        let block = secrets.stdout.components(separatedBy: "\n\n").first { $0.hasPrefix("vault:secret/data/prod/db ") } ?? ""
        #expect(block.contains("sa:prod/web ") && !block.contains("no reader known"), "\(secrets.stdout)")
        // Near misses: a path the annotations do not name, and the folder that holds the role.
        #expect(!(try CLI.run(["who-can", "read", "vault:secret/data/prod/other"] + world)).stdout.contains("sa:prod/web"))
        let full = try CLI.run(["who-can", "read", "vault:secret/data/prod/db"] + Self.world)
        #expect(full.stdout.contains("sa:prod/web           certain") && !full.stdout.contains("not in --vault"), "\(full.stdout)")
    }

    /// `system:masters` holds every write by the API server itself, not by a binding: each
    /// who-can table says so as the Kubernetes ones do, and a path's step names it as its grant.
    @Test("system:masters is allowed by the API server in every who-can table", arguments: [
        ["who-can", "use", "store:prod/vault-backend"],
        ["who-can", "read", "store:prod/vault-backend", "--effective"],
        ["who-can", "read", "vault:secret/data/shared/db"],
        ["who-can", "read", "vault:secret/data/prod/db"],
        ["who-can", "read", "vault:secret/data/shared/*"],
        ["who-can", "get", "secret", "db-credentials", "-n", "prod"],
        ["who-can", "create", "externalsecrets.external-secrets.io", "-n", "prod", "--effective"],
    ])
    func mastersRowsSayTheAPIServer(_ args: [String]) throws {
        let r = try CLI.run(args + Self.world)
        #expect(r.status == 0)
        let rows = r.stdout.split(separator: "\n").filter { $0.contains("system:masters") }
        #expect(!rows.isEmpty)
        for row in rows { #expect(row.contains("(API server)"), "\(args): \(row)") }
        let path = try CLI.run(["paths", "--from", "group:system:masters", "--to", "store:prod/vault-backend"] + Self.world)
        #expect(path.stdout.contains("grant (API server) allowed everything"), "\(path.stdout)")
    }

    @Test func storeTargetsAnswerInEveryFormat() throws {
        // Exit 0 with a path, 1 without (carol's dev is served by no Vault store).
        #expect(try CLI.run(["paths", "--from", "user:bob", "--to", "store:prod/vault-backend"] + Self.world).status == 0)
        #expect(try CLI.run(["paths", "--from", "user:carol", "--to", "store:prod/vault-backend"] + Self.world).status == 1)
        let json = try CLI.run(["who-can", "use", "store:prod/vault-backend", "--effective", "-o", "json"] + Self.world)
        #expect(json.status == 0)
        let answer = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        #expect(answer?["target"] as? String == "store:prod/vault-backend")
        let ids = (answer?["identities"] as? [[String: Any]])?.compactMap { $0["identity"] as? String } ?? []
        #expect(Set(ids) == ["group:system:masters", "sa:prod/eso-reader", "user:bob", "user:alice"], "\(ids)")
        // Every target printed is one --to takes back.
        for id in ids {
            let path = (answer?["identities"] as? [[String: Any]])?.first { $0["identity"] as? String == id }?["path"] as? [String: Any]
            #expect(path?["to"] as? String == "store:prod/vault-backend")
        }
        let dot = try CLI.run(["paths", "--from", "user:bob", "--to", "secret:prod/db-credentials", "-o", "dot"] + Self.world)
        #expect(dot.status == 0)
        for label in ["store:prod/vault-backend", "store-read", "prod/db-credentials", "externalsecret-write"] {
            #expect(dot.stdout.contains(label), "\(label)")
        }
    }

    @Test func pathsWithoutATargetListWhatTheyReachBeyondTheCluster() throws {
        let r = try CLI.run(["paths", "--from", "user:bob", "-o", "json"] + Self.world)
        #expect(r.status == 0)  // no path to cluster-admin, but some beyond
        let answer = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
        #expect((answer?["paths"] as? [Any])?.isEmpty == true)
        let beyond = answer?["beyond"] as? [[String: Any]] ?? []
        let targets = beyond.compactMap { $0["target"] as? String }
        #expect(targets.contains("vault:secret/data/shared/db") && targets.contains("store:prod/vault-backend"), "\(targets)")
        // Each target printed is taken back by --to, with its capability.
        for b in beyond {
            let t = b["target"] as? String ?? "", capability = b["capability"] as? String ?? ""
            #expect(try CLI.run(["paths", "--from", "user:bob", "--to", t, "--capability", capability, "-q"] + Self.world).status == 0, "\(t)")
        }
        // An identity with no path anywhere still exits 1; an input without these kinds answers as before.
        #expect(try CLI.run(["paths", "--from", "user:nobody"] + Self.world).status == 1)
        let plain = try CLI.run(["paths", "--from", "user:bob", "-f", "samples/", "-o", "json"])
        #expect(!plain.stdout.contains("\"beyond\""))
    }

    static let externalRules = ["clusterstore-all-namespaces", "vault-role-wildcard", "store-credentials-readable", "external-secret-in-env", "vault-policy-broad-write"]

    @Test func theReportFindsEachExternalRuleOnTheExampleWorldWithLocations() throws {
        let r = try CLI.run(["report", "-o", "sarif", "-q"] + Self.world)
        #expect(r.status == 0, "\(r.stderr)")
        let sarif = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let run = try #require((sarif["runs"] as? [[String: Any]])?.first)
        let results = try #require(run["results"] as? [[String: Any]])
        var located: [String: String] = [:]
        for result in results {
            guard let id = result["ruleId"] as? String, Self.externalRules.contains(id),
                let location = (result["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any],
                let uri = (location["artifactLocation"] as? [String: Any])?["uri"] as? String,
                let line = (location["region"] as? [String: Any])?["startLine"] as? Int
            else { continue }
            located[id] = "\(uri):\(line)"
        }
        #expect(located == [
            "clusterstore-all-namespaces": "examples/external/cluster.yaml:160",
            "vault-role-wildcard": "examples/external/vault/auth/kubernetes/role/tenant.json:3",
            "store-credentials-readable": "examples/external/cluster.yaml:160",
            "external-secret-in-env": "examples/external/cluster.yaml:143",
            "vault-policy-broad-write": "examples/external/vault/sys/policy/ops.hcl:2",
        ])
        #expect(run["properties"].map { "\($0)" }?.contains("notChecked") == false)
    }

    @Test func withoutTheVaultFolderTheVaultRulesAreSaidNotChecked() throws {
        let r = try CLI.run(["report", "-f", "examples/external/cluster.yaml", "--no-builtin-policy", "-o", "json"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("warning: not checked: vault-role-wildcard, vault-policy-broad-write: SecretStore prod/vault-backend and 3 more use Vault"))
        #expect(r.stdout.contains("\"notChecked\": ["))
        // A Vault folder whose only policy does not load: exit 3, and the rules are said unchecked.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-vault-broken-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sys/policy"), withIntermediateDirectories: true)
        try "path \"secret/*\" {\n  capabilities = [\"write\"]\n}\n".write(to: dir.appendingPathComponent("sys/policy/ops.hcl"), atomically: true, encoding: .utf8)
        let broken = try CLI.run(["report", "-f", "examples/external/cluster.yaml", "--vault", dir.path, "--no-builtin-policy"])
        #expect(broken.status == 3)
        #expect(broken.stderr.contains("sys/policy/ops.hcl:2:19: error: path \"secret/*\": invalid capability \"write\""))
        #expect(broken.stderr.contains("but no Vault role or policy loaded from the --vault folders"))
        // An input that does not use Vault has nothing to say about it.
        let plain = try CLI.run(["report", "-f", "samples/", "-o", "json"])
        #expect(!plain.stderr.contains("not checked") && !plain.stdout.contains("notChecked"))
    }

    @Test func aBaselineAcceptsExternalFindingsByTheirKeys() throws {
        let baseline = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-ext-baseline-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: baseline) }
        let written = try CLI.run(["report", "-q", "--write-baseline", baseline.path] + Self.world)
        #expect(written.status == 0)
        let lines = try String(contentsOf: baseline, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.contains("# written by: rbacgraph report -f examples/external/cluster.yaml --vault examples/external/vault"))
        #expect(lines.contains("vault-policy-broad-write VaultPolicy/ops"))
        #expect(lines.contains("vault-role-wildcard VaultRole/auth/kubernetes/role/tenant"))
        // Accepting two of them leaves the others failing the gate; accepting all passes it.
        try "vault-policy-broad-write VaultPolicy/ops\nclusterstore-all-namespaces ClusterSecretStore/aws-shared\n".write(to: baseline, atomically: true, encoding: .utf8)
        let some = try CLI.run(["report", "-q", "--ignore", baseline.path, "--fail-on", "medium", "-o", "json"] + Self.world)
        #expect(some.status == 2)
        #expect(some.stdout.contains("\"ignored\": 2"))
        #expect(!some.stdout.contains("\"ruleId\": \"vault-policy-broad-write\""))
        #expect(some.stdout.contains("\"ruleId\": \"vault-role-wildcard\""))
    }

    @Test("paths --to vault: usage errors", arguments: [
        ["paths", "--from", "user:alice", "--to", "vault:"],
        ["paths", "--from", "user:alice", "--to", "vault:secret/data/prod/db", "--capability", "get"],
        ["paths", "--from", "user:alice", "--to", "vault:secret/data/prod/db", "--capability", "deny"],
        ["paths", "--from", "user:alice", "--to", "cluster-admin", "--capability", "read"],
    ])
    func pathsUsageErrors(_ args: [String]) throws {
        let r = try CLI.run(args + Self.world)
        #expect(r.status == 64, "\(r.stderr)")
    }

    /// `paths --to vault:` in every output: exit 0 with a path, 1 without; the JSON steps
    /// go on past the Kubernetes ones; the picture draws the store, the login and the path.
    @Test func pathsToVaultInEveryOutput() throws {
        let table = try CLI.run(["paths", "--from", "user:bob", "--to", "vault:secret/data/shared/db"] + Self.world)
        #expect(table.status == 0)
        #expect(table.stdout.contains("externalsecret-write  in prod  → store:prod/vault-backend"), "\(table.stdout)")
        let none = try CLI.run(["paths", "--from", "user:carol", "--to", "vault:secret/data/shared/db"] + Self.world)
        #expect(none.status == 1)
        #expect(none.stdout.contains("No path from user:carol to vault:secret/data/shared/db"))

        let json = try CLI.run(["paths", "--from", "user:alice", "--to", "vault:secret/data/prod/*", "--all", "-o", "json"] + Self.world)
        #expect(json.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let paths = object?["paths"] as? [[String: Any]] ?? []
        #expect(paths.count >= 2)
        let kinds = paths.map { ($0["steps"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String } }
        #expect(kinds.contains(["pod-create", "run-as", "each-service-account", "vault-login", "vault-policy"]), "\(kinds)")
        #expect(kinds.allSatisfy { $0.last == "vault-policy" })

        let dot = try CLI.run(["paths", "--from", "user:bob", "--to", "vault:secret/data/shared/db", "-o", "dot"] + Self.world)
        #expect(dot.status == 0)
        for label in ["externalsecret-write", "store-login", "vault-policy", "secret/data/shared/db"] {
            #expect(dot.stdout.contains(label), "\(label) in \(dot.stdout)")
        }
    }

    @Test func evalAnswersVaultTargets() throws {
        let queries = [
            #"{"id":"w","op":"who-can","verb":"read","resource":"vault:secret/data/prod/db"}"#,
            #"{"id":"p","op":"paths","from":"user:bob","to":"vault:secret/data/shared/*"}"#,
            #"{"id":"x","op":"who-can","verb":"get","resource":"vault:secret/data/prod/db"}"#,
        ].joined(separator: "\n") + "\n"
        let r = try CLI.run(["eval", "--queries", "-"] + Self.world, stdin: queries)
        #expect(r.status == 0, "\(r.stderr)")
        let lines = r.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 3)
        #expect(lines[0].contains(#""identity":"sa:prod/web""#))
        #expect(lines[1].contains(#""kind":"externalsecret-write""#))
        #expect(lines[2].contains("the verb is a Vault capability"))
    }

    /// `secrets --external` as a picture: every named path, its readers and the stores,
    /// roles and policy paths between (docs/external-secrets.md shows it).
    @Test func theExternalSecretsPicture() throws {
        let r = try CLI.run(["secrets", "--external", "-o", "dot"] + Self.world)
        #expect(r.status == 0, "\(r.stderr)")
        // (Each reader by its best route: system:masters, which may create an ExternalSecret in
        // team-a for ClusterSecretStore teams, is drawn by its cheaper way, so teams is not.)
        for label in ["vault:secret/data/shared/db", "vault:secret/data/prod/db-pass", "SecretStore\\nprod/vault-backend",
                      "Vault auth/kubernetes/role/web", "user:bob", "user:alice"] {
            #expect(r.stdout.contains(label), "\(label) in \(r.stdout)")
        }
        let wide = try CLI.run(["secrets", "--external", "-o", "wide"] + Self.world)
        #expect(wide.stdout.hasPrefix("vault:"), "\(wide.stdout.prefix(80))")
    }
}
