import Foundation
import Testing
import RBACCore
import RBACLoading

/// The worlds of the External Secrets Operator tests (``StoreTargetTests``,
/// ``ExternalWorldTests``, ``StoreReachTests``): loading them, and the RBAC documents every one
/// of them needs (who may write ExternalSecrets, who may read which Secret) one line each, so
/// that a world spells out in full only the stores, ExternalSecrets and Vault files its case is
/// about.
enum ESOWorld {
    /// The cluster of a world's manifests, which must load without an error.
    static func cluster(_ yaml: String, name: String = "world.yaml") throws -> Cluster {
        let loaded = try ManifestLoader().load(yaml: yaml, name: name)
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
        return loaded.cluster
    }

    /// The escalation graph of a world, with the privilege paths of `identities` searched.
    static func paths(_ yaml: String, name: String = "world.yaml", from identities: [PathNode]) throws -> EscalationGraph {
        PathFinder(AccessGraph(try cluster(yaml, name: name))).graph(including: identities)
    }

    /// The Vault roles and policies of a `--vault` folder holding `files` (path → text), which
    /// must load without an error.
    static func vault(_ files: [String: String]) throws -> VaultInventory {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rbacgraph-world-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        for (path, text) in files {
            let url = dir.appendingPathComponent(path)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        let loaded = try VaultLoader().load(folders: [dir.path])
        #expect(!loaded.hasErrors, "\(loaded.diagnostics)")
        return loaded.inventory
    }

    /// A ClusterRole (a Role of `namespace` when given) of one rule: `verbs` on `resources` of
    /// `group`, only those named `names` when given.
    static func role(
        _ name: String, namespace: String? = nil, group: String = "", resources: [String], verbs: [String], names: [String] = []
    ) -> String {
        """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: \(namespace == nil ? "ClusterRole" : "Role")
        metadata: {name: \(name)\(namespace.map { ", namespace: \($0)" } ?? "")}
        rules:
        - apiGroups: [\(group.isEmpty ? "\"\"" : group)]
          resources: [\(resources.joined(separator: ", "))]
        \(names.isEmpty ? "" : "  resourceNames: [\(names.joined(separator: ", "))]\n")  verbs: [\(verbs.joined(separator: ", "))]
        """
    }

    /// A RoleBinding of `namespace` (a ClusterRoleBinding without) granting the ClusterRole
    /// `role` (the Role, with `roleKind: "Role"`) to users and service accounts (`NS/NAME`).
    static func binding(
        _ name: String, namespace: String? = nil, role: String, roleKind: String = "ClusterRole", users: [String],
        serviceAccounts: [String] = []
    ) -> String {
        let subjects = users.map { "{kind: User, name: \($0), apiGroup: rbac.authorization.k8s.io}" }
            + serviceAccounts.map { sa in
                let (ns, n) = (sa.prefix { $0 != "/" }, sa.drop { $0 != "/" }.dropFirst())
                return "{kind: ServiceAccount, name: \(n), namespace: \(ns)}"
            }
        return """
            apiVersion: rbac.authorization.k8s.io/v1
            kind: \(namespace == nil ? "ClusterRoleBinding" : "RoleBinding")
            metadata: {name: \(name)\(namespace.map { ", namespace: \($0)" } ?? "")}
            roleRef: {apiGroup: rbac.authorization.k8s.io, kind: \(roleKind), name: \(role)}
            subjects: [\(subjects.joined(separator: ", "))]
            """
    }
}
