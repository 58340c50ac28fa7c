/// Vault's KV secrets engine, version 2, keeps a secret's data at `MOUNT/data/KEY` and its
/// versions and listing at `MOUNT/metadata/KEY`; `vault kv get secret/prod/db` reads
/// `secret/data/prod/db` behind the scenes, and policies must name the `data/` path. A `vault:`
/// target typed as the `vault kv` command spells it (`vault:secret/prod/db`) is a path no KV
/// version 2 policy grants: answering "nobody" would be a quiet wrong answer.
///
/// ``ExternalInventory/kvVersion2Hint(for:capability:)`` tells such a target from a real
/// path: when the input shows the mount is KV version 2 (a policy names `MOUNT/data/…` or
/// `MOUNT/metadata/…`, or an External Secrets store reads it as version 2), it gives the path
/// the API uses for that capability.
public struct KVVersion2Hint: Hashable, Sendable {
    /// The path as typed: `secret/prod/db`.
    public var typed: String
    /// The KV version 2 API path for the capability: `secret/data/prod/db` (`secret/metadata/…`
    /// for `list`).
    public var apiPath: String
    /// The mount: `secret`.
    public var mount: String
    /// What shows the mount is KV version 2: `policy web names secret/data/prod/*`, or
    /// `SecretStore prod/vault-backend reads secret as KV version 2`.
    public var evidence: String

    /// The `vault kv` command that uses the capability on the secret: `get` for read, `list`,
    /// `put` for create and update, `patch`, `delete`; `nil` for sudo.
    public var command: String?

    /// The warning to print: what was asked, the path meant, and why.
    public var message: String {
        let how = command.map { "`vault kv \($0) \(typed)` uses" } ?? "`vault kv` commands use"
        return "vault:\(typed) names no KV version 2 secret: \(mount)/ is KV version 2 (\(evidence)), and \(how) "
            + "vault:\(apiPath); ask for that path"
    }
}

extension ExternalInventory {
    /// The path meant when `path` is a KV version 2 secret written as `vault kv` spells it
    /// (no `data/` or `metadata/` after the mount); `nil` when the path already names the API
    /// path or nothing in the input shows its mount is KV version 2.
    ///
    /// A mount is every leading run of segments (mounts may be nested: `team/kv/`); the
    /// shortest one with evidence wins.
    public func kvVersion2Hint(for path: String, capability: VaultCapabilities) -> KVVersion2Hint? {
        // Segments by bytes: a combining mark after `/` must not hide a separator.
        let segments = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: false).map { String(decoding: $0, as: UTF8.self) }
        guard segments.count >= 2 else { return nil }
        for cut in 1..<segments.count {
            let mount = segments[..<cut].joined(separator: "/")
            let rest = segments[cut...].joined(separator: "/")
            guard !mount.isEmpty, !rest.isEmpty else { continue }
            // Already an API path of the engine (data, metadata, delete, undelete, destroy,
            // subkeys, config): no hint.
            if Self.kvVersion2APIs.containsExactly(segments[cut]) { return nil }
            guard let evidence = kvVersion2Evidence(mount: mount) else { continue }
            let api = capability == .list ? "metadata" : "data"
            let commands: [(VaultCapabilities, String)] = [(.read, "get"), (.list, "list"), (.create, "put"), (.update, "put"), (.patch, "patch"), (.delete, "delete")]
            return KVVersion2Hint(
                typed: path, apiPath: "\(mount)/\(api)/\(rest)", mount: mount, evidence: evidence,
                command: commands.first { $0.0 == capability }?.1)
        }
        return nil
    }

    /// The first segments of KV version 2's API paths after the mount.
    static let kvVersion2APIs = ["data", "metadata", "delete", "undelete", "destroy", "subkeys", "config"]

    /// Why `mount` is KV version 2, from the input: a policy path under `MOUNT/data/` or
    /// `MOUNT/metadata/`, or a Vault store reading the mount as version 2.
    func kvVersion2Evidence(mount: String) -> String? {
        for policy in vault.policies {
            for rule in policy.rules {
                for api in ["data", "metadata"] where rule.path.hasExactPrefix("\(mount)/\(api)/") {
                    return "policy \(policy.name) names \(rule.path)"
                }
            }
        }
        for store in stores {
            guard let v = store.vault, !v.version.isExactly("v1"), let m = v.mount else { continue }
            var stored = Substring(m)
            while stored.hasExactSuffix("/") { stored = stored.dropLast() }
            guard stored.isExactly(mount) else { continue }
            let name = store.namespace.map { "\($0)/\(store.name)" } ?? store.name
            return "\(store.kind.rawValue) \(name) reads \(mount) as KV version 2"
        }
        return nil
    }
}
