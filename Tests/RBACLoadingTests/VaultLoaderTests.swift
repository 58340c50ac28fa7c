import Foundation
import Testing
import RBACCore
import RBACLoading

/// `--vault DIR`: roles as `vault read -format=json` prints them, policies as `vault policy
/// read` prints them, and the policy parser's located errors.
@Suite struct VaultLoaderTests {
    /// A scratch Vault folder with `files` (relative path → contents).
    static func folder(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-vault-\(UUID().uuidString)")
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        return dir.path
    }

    static let readOutput = """
        {
          "request_id": "5f3c",
          "lease_id": "",
          "lease_duration": 0,
          "renewable": false,
          "data": {
            "alias_name_source": "serviceaccount_uid",
            "audience": "vault",
            "bound_service_account_names": ["web", "api-*"],
            "bound_service_account_namespace_selector": "",
            "bound_service_account_namespaces": ["prod"],
            "policies": ["legacy"],
            "token_policies": ["web", "legacy"],
            "token_no_default_policy": false,
            "token_ttl": 3600
          },
          "warnings": null
        }
        """

    @Test func readsRolesAndPoliciesFromVaultPaths() throws {
        let dir = try Self.folder([
            "auth/kubernetes/role/web.json": Self.readOutput,
            "auth/k8s/prod/role/bare.json": #"{"bound_service_account_names": "ci", "bound_service_account_namespaces": "*", "token_policies": ["ci"], "token_no_default_policy": true}"#,
            "sys/policy/web.hcl": """
                # Read the team's secrets.
                path "secret/data/prod/*" {
                  capabilities = ["read", "list"]
                }
                path "/secret/data/prod/admin/*" { capabilities = ["deny"] }
                path "secret/metadata/*" {
                  policy = "read"
                  allowed_parameters = { "version" = [] }
                }
                """,
            "sys/auth.json": #"{"kubernetes/": {"accessor": "auth_kubernetes_1a2b", "type": "kubernetes"}}"#,
            "README.json": "{}",
        ])
        let result = try VaultLoader().load(folders: [dir])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let roles = result.inventory.roles.sorted { $0.mount < $1.mount }
        #expect(roles.map(\.path) == ["auth/k8s/prod/role/bare", "auth/kubernetes/role/web"])
        let web = roles[1]
        #expect(web.boundNames == ["web", "api-*"])
        #expect(web.policies == ["web", "legacy"])
        #expect(web.tokenPolicies == ["web", "legacy", "default"])
        #expect(web.audience == "vault")
        #expect(web.namespaceSelector == nil)
        #expect(roles[0].boundNames == ["ci"])
        #expect(roles[0].tokenPolicies == ["ci"])
        let policy = try #require(result.inventory.policy(named: "web"))
        #expect(policy.rules.map(\.path) == ["secret/data/prod/*", "secret/data/prod/admin/*", "secret/metadata/*"])
        #expect(policy.rules.map(\.capabilities) == [[.read, .list], .deny, [.read, .list]])
        #expect(policy.rules.map(\.isConditional) == [false, false, true])
        #expect(policy.rules[1].source?.line == 5)
        #expect(result.inventory.accessors == ["auth_kubernetes_1a2b": "kubernetes"])
        #expect(result.diagnostics.map(\.severity) == [.note])
    }

    @Test func namespaceSelectorIsReadAsJSONOrYAML() throws {
        let dir = try Self.folder([
            "auth/kubernetes/role/sel.json": #"{"data": {"bound_service_account_names": ["*"], "bound_service_account_namespaces": [], "bound_service_account_namespace_selector": "{\"matchLabels\": {\"team\": \"web\"}}", "token_policies": ["p"]}}"#,
            "auth/kubernetes/role/yaml.json": #"{"bound_service_account_names": ["*"], "bound_service_account_namespace_selector": "matchExpressions:\n- {key: env, operator: In, values: [prod]}", "token_policies": ["p"]}"#,
        ])
        let result = try VaultLoader().load(folders: [dir])
        #expect(!result.hasErrors, "\(result.diagnostics)")
        let bySel = Dictionary(uniqueKeysWithValues: result.inventory.roles.map { ($0.name, $0) })
        #expect(bySel["sel"]?.namespaceSelector?.matchLabels.map(\.key) == ["team"])
        #expect(bySel["yaml"]?.namespaceSelector?.matchExpressions.first?.values == ["prod"])
    }

    /// Bad policies: one located error each, and the rest of the folder still loads.
    @Test(arguments: [
        ("path \"secret/*\" {\n  capabilities = [\"read\", \"own\"]\n}\n", "2:27", "invalid capability \"own\""),
        ("path \"secret/*\" {\n  capabilitiez = [\"read\"]\n}\n", "2:3", "invalid key \"capabilitiez\""),
        ("path \"secret/+*\" { capabilities = [\"read\"] }\n", "1:1", "'+*' is forbidden"),
        ("path \"secret/*\" {\n  capabilities = [\"read\"\n", "3:1", "missing ]"),
        ("path \"secret/*\" {\n  policy = \"admin\"\n}\n", "2:12", "invalid policy \"admin\""),
        ("path secret {}\n", "1:6", "expected = or { after \"path\""),
        ("path = \"x\"\n", "1:1", "path needs a quoted path"),
        ("/* never closed\npath \"a\" {}\n", "1:1", "unterminated /* comment"),
        ("path \"a\n\" {}", "1:6", "newline in a string"),
        ("role \"x\" {}\n", "1:1", "invalid key \"role\""),
    ])
    func policyErrorsAreLocated(text: String, at: String, message: String) throws {
        let dir = try Self.folder(["sys/policy/bad.hcl": text, "sys/policy/good.hcl": "path \"a/*\" { capabilities = [\"read\"] }"])
        let result = try VaultLoader().load(folders: [dir])
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 1)
        #expect(errors.first.map { "\($0.location.line):\($0.location.column)" } == at)
        #expect(errors.first?.message.contains(message) == true, "\(errors)")
        #expect(errors.first?.location.file.hasSuffix("sys/policy/bad.hcl") == true)
        #expect(result.inventory.policies.map(\.name) == ["good"])
    }

    /// Bad roles: one located error each (at the field or entry at fault, else the file's start).
    @Test(arguments: [
        (#"{"bound_service_account_namespaces": ["a"]}"#, "1:1", "not a Kubernetes auth role"),
        (#"{"bound_service_account_names": [], "bound_service_account_namespaces": ["a"]}"#, "1:2", "is empty"),
        (#"{"bound_service_account_names": ["a"]}"#, "1:1", "neither bound_service_account_namespaces"),
        ("{\"data\": {\n  \"bound_service_account_names\": [\"a\", 1], \"bound_service_account_namespaces\": [\"a\"]}}", "2:40", "must be a list of strings"),
        ("{\"data\": {\"bound_service_account_names\": [\"a\"],\n \"bound_service_account_namespace_selector\": \"{nope\"}}", "2:2", "not a label selector"),
        (#"{"bound_service_account_names": ["a"], "bound_service_account_namespaces": ["a"], "token_no_default_policy": 3}"#, "1:83", "true or false"),
        ("[1, 2", "2:1", "did not find expected"),
    ])
    func roleErrors(text: String, at: String, message: String) throws {
        let dir = try Self.folder(["auth/kubernetes/role/bad.json": text])
        let result = try VaultLoader().load(folders: [dir])
        #expect(result.inventory.roles.isEmpty)
        #expect(result.diagnostics.count == 1)
        #expect(result.diagnostics.first?.message.contains(message) == true, "\(result.diagnostics)")
        #expect(result.diagnostics.first.map { "\($0.location.line):\($0.location.column)" } == at)
    }

    /// A role's fields are located where the file writes them, so findings and path steps
    /// point at `bound_service_account_names` (or its `*`), not at the file's first line.
    @Test func roleFieldsAreLocated() throws {
        let dir = try Self.folder(["auth/kubernetes/role/web.json": Self.readOutput])
        let result = try VaultLoader().load(folders: [dir])
        let web = try #require(result.inventory.roles.first)
        func at(_ s: RBACCore.SourceLocation?) -> String? { s.map { "\($0.line):\($0.column)" } }
        #expect(at(web.source) == "1:1")
        #expect(at(web.source(of: .boundNames)) == "9:5")
        #expect(at(web.source(of: .boundNames, entry: "api-*")) == "9:44")
        #expect(at(web.source(of: .boundNamespaces)) == "11:5")
        #expect(at(web.source(of: .tokenPolicies)) == "13:5")
        #expect(at(web.source(of: .boundNamespaces, entry: "*")) == "11:5")  // no such entry: the field
        #expect(web.source(of: .boundNames)?.file.hasSuffix("auth/kubernetes/role/web.json") == true)
    }

    @Test func strictStopsAtTheFirstError() throws {
        let dir = try Self.folder(["sys/policy/bad.hcl": "path {"])
        #expect(throws: LoadError.self) { try VaultLoader(strict: true).load(folders: [dir]) }
    }

    @Test func aMissingFolderIsAnError() throws {
        let result = try VaultLoader().load(folders: ["/nonexistent/vault"])
        #expect(result.hasErrors)
    }

    /// Garbage never crashes the parser: every prefix of a valid policy and some noise.
    @Test func garbageNeverCrashes() {
        let text = "path \"secret/*\" {\n  capabilities = [\"read\", \"list\"] # c\n  allowed_parameters = { \"a\" = [\"b\", 1, true] }\n}\n"
        let bytes = Array(text.utf8)
        for n in 0...bytes.count {
            _ = try? VaultPolicyParser().parse(String(decoding: bytes[0..<n], as: UTF8.self), name: "p", file: "p.hcl")
        }
        for noise in ["{{{{", "]]]]", "\"\\", "= = =", String(repeating: "[", count: 500), String(repeating: "a = {", count: 200)] {
            _ = try? VaultPolicyParser().parse(noise, name: "p", file: "p.hcl")
        }
    }
}
