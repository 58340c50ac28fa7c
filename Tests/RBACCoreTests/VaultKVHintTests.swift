import Testing
import RBACCore

/// `vault kv get secret/prod/db` reads `secret/data/prod/db`: a `vault:` target written the
/// `vault kv` way, on a mount the input shows is KV version 2, gets the API path as a hint
/// instead of a quiet "nobody".
@Suite struct VaultKVHintTests {
    /// Policies naming `secret/data/…` (KV version 2) and `team/kv/data/…` (a nested mount),
    /// and `legacy/…` (KV version 1: no `data/`).
    static let inventory: ExternalInventory = {
        var e = ExternalInventory()
        e.vault.policies = [
            VaultPolicy(name: "web", rules: [VaultPathRule(path: "secret/data/prod/*", capabilities: .read)]),
            VaultPolicy(name: "team", rules: [VaultPathRule(path: "team/kv/data/app/*", capabilities: [.read, .list])]),
            VaultPolicy(name: "old", rules: [VaultPathRule(path: "legacy/prod/*", capabilities: .read)]),
        ]
        return e
    }()

    @Test("a path written as vault kv spells it gets the API path for its capability", arguments: [
        ("secret/prod/db", VaultCapabilities.read, "secret/data/prod/db", "get"),
        ("secret/prod", .list, "secret/metadata/prod", "list"),
        ("secret/prod/db", .update, "secret/data/prod/db", "put"),
        ("secret/prod/*", .read, "secret/data/prod/*", "get"),
        ("team/kv/app/x", .read, "team/kv/data/app/x", "get"),
    ])
    func hinted(typed: String, capability: VaultCapabilities, api: String, command: String) throws {
        let hint = try #require(Self.inventory.kvVersion2Hint(for: typed, capability: capability))
        #expect(hint.apiPath == api)
        #expect(hint.command == command)
        #expect(hint.message.contains("`vault kv \(command) \(typed)` uses vault:\(api)"), "\(hint.message)")
    }

    @Test("no hint: already an API path, a KV version 1 mount, a mount the input says nothing of", arguments: [
        "secret/data/prod/db", "secret/metadata/prod", "secret/delete/prod/db", "secret/subkeys/prod/db",
        "legacy/prod/db", "kv/prod/db", "secret", "team/kv/data/app/x", "auth/kubernetes/login",
    ])
    func notHinted(path: String) {
        #expect(Self.inventory.kvVersion2Hint(for: path, capability: .read) == nil)
    }

    @Test("an External Secrets store reading a mount as version 2 is evidence too; version 1 is not")
    func storeEvidence() throws {
        var e = ExternalInventory()
        e.stores = [
            SecretStore(kind: .secretStore, namespace: "prod", name: "v2", provider: "vault", vault: .init(mount: "apps/", version: "v2")),
            SecretStore(kind: .clusterSecretStore, namespace: nil, name: "v1", provider: "vault", vault: .init(mount: "legacy", version: "v1")),
        ]
        let hint = try #require(e.kvVersion2Hint(for: "apps/web/db", capability: .read))
        #expect(hint.apiPath == "apps/data/web/db")
        #expect(hint.evidence == "SecretStore prod/v2 reads apps as KV version 2")
        #expect(e.kvVersion2Hint(for: "legacy/web/db", capability: .read) == nil)
    }
}
