import Foundation
import Testing
import RBACCore

/// Every target notation the External area prints is read back wherever targets are taken,
/// with the meaning it had when printed. The notations are collected from the output itself —
/// `secrets --external`'s targets, what `paths --from` reaches beyond the cluster, the end of
/// every path and of every external step of `paths` and `who-can` — on the example world of
/// docs/external-secrets.md and a fixture holding each kind the example lacks (stores of unknown
/// reach, a store the input does not hold, `store:*/NAME`, objects of AWS and GCP classes).
/// Each is then given to `paths --to`, `who-can` and `eval`: none is refused, and every path
/// found ends at what the target names.
@Suite("printed external targets read back")
struct ExternalTargetRoundTripTests {
    static let world = [
        "-f", "examples/external/cluster.yaml", "-f", CLI.fixtures.appendingPathComponent("external/every-target.yaml").path,
        "--vault", "examples/external/vault", "--no-builtin-policy", "-q",
    ]
    static let people = ["user:alice", "user:bob", "user:carol", "user:dave", "group:system:masters"]
    static let externalKinds = Set(ExternalStep.Kind.allCases.map(\.rawValue))

    static func json(_ args: [String]) throws -> [String: Any] {
        let r = try CLI.run(args + world)
        #expect(r.status == 0 || r.status == 1, "\(args): \(r.stderr)")
        return try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// The ends of paths as JSON prints them, and the `to` of their external steps that is a
    /// notation (no space: not `Vault auth/kubernetes/role/web as sa:prod/web`).
    static func ends(of paths: [[String: Any]]) -> [String] {
        var out: [String] = []
        for p in paths {
            if let to = p["to"] as? String { out.append(to) }
            for s in p["steps"] as? [[String: Any]] ?? [] where externalKinds.contains(s["kind"] as? String ?? "") {
                if let to = s["to"] as? String, !to.contains(" ") { out.append(to) }
            }
        }
        return out
    }

    /// The verb `who-can` takes for a target.
    static func verb(_ target: String) -> String {
        if target.hasPrefix("vault:") { return "read" }
        if StoreTarget.parse(target) != nil { return "use" }
        if target.hasPrefix("secret:") || target.hasPrefix("can:get:") { return "get" }
        return "read"  // PROVIDER:OBJECT
    }

    /// Whether a path that ends at `end` is one to what `target` names.
    static func names(_ target: String, _ end: String) -> Bool {
        if let t = VaultTarget.parse(target) {
            return end == target || (VaultTarget.parse(end).map { t.matches($0.pattern) } ?? false)
        }
        if let t = StoreTarget.parse(target) {
            // A key (or the keys a pattern finds) is read by a last step of its own, which ends at it.
            guard let e = StoreTarget.parse(end), e.kind == t.kind, e.name == t.name, e.key == t.key, e.keysFoundByPattern == t.keysFoundByPattern
            else { return false }
            return t.anyNamespace || e.namespace == t.namespace
        }
        // The get of an object other than a Secret an ExternalSecret writes: a path through what
        // writes or lists it ends at the target; a Kubernetes path to the get at a node allowed
        // it (an identity itself, a held role, namespace-admin, cluster-admin).
        if target.hasPrefix("can:get:") {
            return end == target || end == "cluster-admin" || PathNode.identity(parsing: end) != nil
                || end.hasPrefix("holder:") || end.hasPrefix("namespace-admin:")
        }
        // A Kubernetes path to a Secret ends at a node that reads it: the Secret, every Secret of
        // its namespace, or cluster-admin.
        if target.hasPrefix("secret:"), let slash = target.firstIndex(of: "/") {
            return end == target || end == target[...slash] + "*" || end == "cluster-admin"
        }
        return end == target
    }

    /// Every target the External area prints on the world.
    static func printed() throws -> [String] {
        var found = Set<String>()
        let secrets = try json(["secrets", "--external", "-o", "json"])
        for e in secrets["external"] as? [[String: Any]] ?? [] {
            if let t = e["target"] as? String { found.insert(t) }
        }
        for who in people {
            let answer = try json(["paths", "--from", who, "-o", "json"])
            for b in answer["beyond"] as? [[String: Any]] ?? [] {
                if let t = b["target"] as? String { found.insert(t) }
                if let p = b["path"] as? [String: Any] { found.formUnion(ends(of: [p])) }
            }
        }
        // who-can's answers for stores and CSI objects end at targets (for Vault, its "path"
        // is the Kubernetes part only: how one becomes the service account or gets the grant).
        for target in found.sorted() where !target.hasPrefix("vault:") && !target.hasPrefix("secret:") {
            let answer = try json(["who-can", verb(target), target, "--effective", "-o", "json"])
            found.formUnion(ends(of: (answer["identities"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? [String: Any] }))
        }
        // The Secret an ExternalSecret writes, as who-can get secret prints its readers' ends;
        // the objects of other kinds ExternalSecrets write (target.manifest), likewise.
        for get in [["secret", "db-credentials", "-n", "prod"], ["configmap", "api-config", "-n", "ops"], ["applications.argoproj.io", "app", "-n", "ops"]] {
            let written = try json(["who-can", "get"] + get + ["-o", "json"])
            found.formUnion(ends(of: (written["throughStores"] as? [[String: Any]] ?? []).compactMap { $0["path"] as? [String: Any] }))
        }
        return found.sorted()
    }

    @Test func everyPrintedTargetIsReadBackWithItsMeaning() throws {
        let targets = try Self.printed()
        // The kinds the world is made to print, each at least once.
        for expected in [
            "store:*/local", "store:ops/missing", "clusterstore:gone", "store:ops/local", "store:ops/aws key ops/api-key",
            "store:ops/aws (keys found by pattern)", "aws:arn:aws:secretsmanager:us-east-1:111122223333:secret:MySecret",
            "gcp:projects/my-project/secrets/testsecret/versions/latest", "vault:secret/data/shared/db", "vault:secret/*",
            "store:prod/vault-backend", "clusterstore:teams", "secret:prod/db-credentials",
            "can:get:configmaps:ops:api-config", "can:get:applications.argoproj.io:ops:app",
        ] {
            #expect(targets.contains(expected), "\(expected) not printed: \(targets)")
        }
        var queries: [String] = []
        for target in targets {
            // paths --to: never a usage error; a path found ends at what the target names.
            for who in Self.people {
                let r = try CLI.run(["paths", "--from", who, "--to", target, "-o", "json"] + Self.world)
                #expect(r.status == 0 || r.status == 1, "paths --from \(who) --to \(target): \(r.stderr)")
                let answer = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
                for end in (answer["paths"] as? [[String: Any]] ?? []).compactMap({ $0["to"] as? String }) {
                    #expect(Self.names(target, end), "paths --to \(target) ended at \(end)")
                }
            }
            // who-can: someone (system:masters at least), and for a store or a CSI object
            // every path ends at what the target names.
            let verb = Self.verb(target)
            let who = try CLI.run(["who-can", verb, target, "--effective", "-o", "json"] + Self.world)
            #expect(who.status == 0, "who-can \(verb) \(target): \(who.stderr)")
            let answer = try JSONSerialization.jsonObject(with: Data(who.stdout.utf8)) as? [String: Any] ?? [:]
            let identities = answer["identities"] as? [[String: Any]] ?? answer["subjects"] as? [[String: Any]] ?? []
            #expect(!identities.isEmpty, "who-can \(verb) \(target): no one")
            if !target.hasPrefix("vault:") && !target.hasPrefix("secret:") {
                for end in identities.compactMap({ ($0["path"] as? [String: Any])?["to"] as? String }) {
                    #expect(Self.names(target, end), "who-can \(verb) \(target) ended at \(end)")
                }
            }
            // eval: the same two questions, no error.
            func line(_ pairs: [String: Any]) throws -> String {
                String(decoding: try JSONSerialization.data(withJSONObject: pairs, options: [.sortedKeys]), as: UTF8.self)
            }
            queries.append(try line(["op": "paths", "from": "group:system:masters", "to": target, "id": target]))
            queries.append(try line(["op": "who-can", "verb": verb, "resource": target, "id": target]))
        }
        let eval = try CLI.run(["eval", "--queries", "-"] + Self.world, stdin: queries.joined(separator: "\n") + "\n")
        #expect(eval.status == 0, "\(eval.stderr)")
        let answers = eval.stdout.split(separator: "\n")
        #expect(answers.count == queries.count)
        for a in answers {
            let answer = try JSONSerialization.jsonObject(with: Data(a.utf8)) as? [String: Any] ?? [:]
            #expect(answer["error"] == nil, "eval: \(a)")
        }
    }

    /// A target printed for what the input does not hold says so, in every form.
    @Test func aStoreTheInputLacksIsAnsweredOnTheConditionThatItExists() throws {
        let r = try CLI.run(["who-can", "use", "store:ops/missing"] + Self.world.filter { $0 != "-q" })
        #expect(r.status == 0)
        #expect(r.stderr.contains("store:ops/missing is not in the input"), "\(r.stderr)")
        #expect(r.stdout.contains("user:dave") && r.stdout.contains("conditional: 1 not shown"), "\(r.stdout)")
        let paths = try CLI.run(["paths", "--from", "user:dave", "--to", "store:*/local"] + Self.world)
        #expect(paths.status == 0)
        #expect(paths.stdout.contains("if    SecretStore ops/local exists (the input does not hold it)"), "\(paths.stdout)")
        // carol writes ExternalSecrets in dev only: no SecretStore local of ops for her.
        let json = try Self.json(["who-can", "use", "store:ops/local", "--effective", "-o", "json"])
        #expect(json["note"] as? String != nil)
        let ids = (json["identities"] as? [[String: Any]] ?? []).compactMap { $0["identity"] as? String }
        #expect(ids.contains("user:dave") && !ids.contains("user:carol"), "\(ids)")
    }

    /// An object of a cloud provider's class: read by whoever may create pods where the class
    /// is, on the condition that the pod's cloud identity may read it.
    @Test func aCSIObjectIsReadByWhoeverMayMountIt() throws {
        let target = "gcp:projects/my-project/secrets/testsecret/versions/latest"
        let r = try CLI.run(["paths", "--from", "user:dave", "--to", target] + Self.world)
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("csi-mount?") && r.stdout.contains("rbacgraph does not read gcp permissions"), "\(r.stdout)")
        // bob may create no pods in ops.
        #expect(try CLI.run(["paths", "--from", "user:bob", "--to", target] + Self.world).status == 1)
        // An object no class names is no target; a verb other than read is refused.
        #expect(try CLI.run(["paths", "--from", "user:dave", "--to", "gcp:projects/other"] + Self.world).status == 64)
        #expect(try CLI.run(["who-can", "get", target] + Self.world).status == 64)
    }
}
