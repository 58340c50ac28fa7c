import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Writes a synthetic cluster dump shaped like
/// `kubectl get namespaces,serviceaccounts,roles,clusterroles,rolebindings,clusterrolebindings,pods,deployments,secrets,configmaps -A -o yaml`:
/// one `kind: List` document whose items carry the metadata real clusters return
/// (managedFields with large `fieldsV1`, last-applied-configuration annotations, uids,
/// resourceVersions, timestamps, statuses).
///
/// The cluster grows namespace by namespace (each a team's application: deployments and
/// their pods, service accounts, secrets, config maps, Roles and RoleBindings, now and then
/// an operator with cluster-wide RBAC) until the text reaches the requested size. Same seed,
/// same bytes.
///
/// Its pieces, a file each: `Generator+Metadata` (ids, timestamps, the metadata API servers
/// return), `Generator+RBAC`, `Generator+CoreObjects` (namespaces, service accounts,
/// secrets, config maps), `Generator+PodSpec` (containers and volumes, as YAML and JSON) and
/// `Generator+Workloads` (Deployments and Pods); the cluster's shape is in `Cluster.swift`.
struct DumpGenerator {
    enum Kind: Int, CaseIterable {
        case namespace, serviceAccount, role, clusterRole, roleBinding, clusterRoleBinding
        case pod, deployment, secret, configMap

        var name: String {
            switch self {
            case .namespace: return "Namespace"
            case .serviceAccount: return "ServiceAccount"
            case .role: return "Role"
            case .clusterRole: return "ClusterRole"
            case .roleBinding: return "RoleBinding"
            case .clusterRoleBinding: return "ClusterRoleBinding"
            case .pod: return "Pod"
            case .deployment: return "Deployment"
            case .secret: return "Secret"
            case .configMap: return "ConfigMap"
            }
        }

        var isRBAC: Bool { self == .role || self == .clusterRole || self == .roleBinding || self == .clusterRoleBinding }
    }

    /// What was written.
    struct Summary {
        var bytes = 0
        var counts: [Kind: Int] = [:]
        var namespaces: Int { counts[.namespace] ?? 0 }
        var items: Int { counts.values.reduce(0, +) }
        var rbacItems: Int { counts.filter { $0.key.isRBAC }.values.reduce(0, +) }
        var seconds = 0.0
        /// The changes of a diff pair's head (``Mutation/applied``).
        var mutations: [String] = []
        /// For a diff pair's head: the RBAC objects of the unchanged dump.
        var unchangedRBACItems = 0
    }

    let targetBytes: Int
    let seed: UInt64
    /// Keep only Roles, ClusterRoles and their bindings (`kubectl get clusterroles,clusterrolebindings,roles,rolebindings -A -o yaml`):
    /// the cluster is generated as usual and every other object dropped, until the RBAC
    /// objects alone reach the target size.
    let rbacOnly: Bool

    var buffers: [String]
    var counts: [Int]
    var rng: SplitMix64
    var resourceVersion = 41_000_000
    let users: [String]
    let teams: [String]
    var usedNamespaces = Set<String>()
    /// Set for the head of a diff pair: the RBAC objects it changes.
    var mutation: Mutation? = nil
    /// Bytes the changes added (negative: removed); the size aimed at leaves them out.
    var sizeAdjust = 0

    init(targetBytes: Int, seed: UInt64, rbacOnly: Bool = false) {
        self.targetBytes = targetBytes
        self.seed = seed
        self.rbacOnly = rbacOnly
        buffers = Kind.allCases.map { _ in
            var s = ""
            s.reserveCapacity(targetBytes / 8)
            return s
        }
        counts = Array(repeating: 0, count: Kind.allCases.count)
        rng = SplitMix64(seed: seed, stream: 0)
        let mb = max(1, targetBytes >> 20)
        var r = SplitMix64(seed: seed, stream: 1)
        var us = Set<String>()
        var users: [String] = []
        while users.count < 40 + mb {
            let u = "\(r.pick(Names.first)).\(r.pick(Names.last))@example.com"
            if us.insert(u).inserted { users.append(u) }
        }
        self.users = users
        var teams = Names.teams
        var i = 2
        while teams.count < 20 + mb / 5 {
            teams.append(contentsOf: Names.teams.map { "\($0)\(i)" })
            i += 1
        }
        self.teams = teams
    }

    /// Generates the dump and writes it to `path` (through a temporary file, renamed at the end).
    /// With `mutatePercent` > 0: the head of a diff pair, the same dump with that share of its
    /// RBAC objects changed (``Mutation``).
    static func write(sizeMB: Int, seed: UInt64, rbacOnly: Bool = false, mutatePercent: Int = 0, to path: String) throws -> Summary {
        let start = Date()
        var g = DumpGenerator(targetBytes: sizeMB << 20, seed: seed, rbacOnly: rbacOnly)
        if mutatePercent > 0 { g.mutation = Mutation(seed: seed, percent: mutatePercent) }
        g.generate()
        let tmp = path + ".tmp-\(getpid())"
        guard let f = fopen(tmp, "wb") else {
            throw BenchError("cannot create \(tmp): \(String(cString: strerror(errno)))")
        }
        var summary = Summary()
        func put(_ s: inout String) throws {
            let n = s.withUTF8 { fwrite($0.baseAddress, 1, $0.count, f) }
            if n != s.utf8.count { throw BenchError("write error on \(tmp)") }
            summary.bytes += n
        }
        var header = "apiVersion: v1\nitems:\n"
        try put(&header)
        for k in Kind.allCases {
            try put(&g.buffers[k.rawValue])
            g.buffers[k.rawValue] = ""
            summary.counts[k] = g.counts[k.rawValue]
        }
        var footer = "kind: List\nmetadata:\n  resourceVersion: \"\"\n"
        try put(&footer)
        if fclose(f) != 0 { throw BenchError("write error on \(tmp)") }
        if rename(tmp, path) != 0 { throw BenchError("cannot rename \(tmp) to \(path)") }
        summary.seconds = Date().timeIntervalSince(start)
        summary.mutations = g.mutation?.applied ?? []
        summary.unchangedRBACItems = g.mutation?.objects ?? 0
        return summary
    }

    var total: Int { buffers.reduce(0) { $0 + $1.utf8.count } + sizeAdjust }

    mutating func generate() {
        systemObjects()
        var index = 0
        // Cluster-scoped and header bytes are small next to a namespace: stop at the target.
        while total < targetBytes - 2048 {
            index += 1
            var r = SplitMix64(seed: seed, stream: UInt64(1000 + index))
            tenantNamespace(index: index, rng: &r)
        }
    }
}

/// An error that stops the benchmark.
struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ message: String) { description = message }
}
