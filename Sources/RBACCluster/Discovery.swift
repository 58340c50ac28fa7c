import RBACCore

/// API discovery: which group-versions and resources the cluster serves, and their short
/// names and scope, so that what users type (`widgets.example.com`, a CRD's short name)
/// resolves as kubectl resolves it.
struct Discovery {
    /// A resource a group-version serves (`v1` and `pods` for the core group's pods).
    struct Served: Hashable {
        var groupVersion: String
        var resource: String
    }

    /// What the cluster serves, or `nil` when discovery failed somewhere (for name resolution:
    /// every kind is tried). Which group-versions it failed for is ``serves(_:resource:)``'s.
    var served: Set<Served>?
    /// Each group's preferred group-version (`external-secrets.io` → `external-secrets.io/v1`).
    var preferred: [String: String] = [:]
    /// What was discovered, whether or not discovery failed elsewhere.
    var discovered = Set<Served>()
    /// Each group's group-versions as `/apis` lists them, the preferred one first; `nil` when
    /// `/apis` could not be read.
    var groupVersions: [String: [String]]? = nil
    /// Whether `/api` (the core group's versions) could be read.
    var coreListed = false
    /// The group-versions whose resource list could not be read.
    var failed = Set<String>()
    /// Discovered resources first, then the built-in table's entries the cluster did not list
    /// (the virtual resources RBAC names: `users`, `groups`, `signers`, …).
    var resources: [APIResource]

    /// Whether `groupVersion` serves `resource`: `true` or `false` as discovery says, `nil`
    /// when discovery could not tell (the group list, or that group-version's resource list,
    /// failed).
    func serves(_ groupVersion: String, resource: String, group: String) -> Bool? {
        if discovered.contains(Served(groupVersion: groupVersion, resource: resource)) { return true }
        if failed.contains(groupVersion) { return nil }
        if group.isEmpty { return coreListed ? false : nil }
        return groupVersions == nil ? nil : false
    }

    /// The versions to list a custom resource at, in order, of `versions` (those rbacgraph
    /// reads, in its order): the one discovery shows served — the group's preferred one, else
    /// the first — alone (`served`); else each version discovery could not tell about, the
    /// group's preferred first and then in the order `/apis` lists them (in rbacgraph's order
    /// when `/apis` failed), to be tried until one is served; empty when discovery shows none
    /// served (not installed).
    func versionsToTry(_ versions: [(group: String, groupVersion: String, resource: String)]) -> (versions: [String], served: Bool) {
        guard let group = versions.first?.group else { return ([], false) }
        let served = versions.filter { serves($0.groupVersion, resource: $0.resource, group: $0.group) == true }.map(\.groupVersion)
        if let chosen = served.first(where: { preferred[group] == $0 }) ?? served.first { return ([chosen], true) }
        let unknown = versions.filter { serves($0.groupVersion, resource: $0.resource, group: $0.group) == nil }.map(\.groupVersion)
        guard let order = groupVersions?[group] else { return (unknown, false) }
        return (unknown.sorted { (order.firstIndex(of: $0) ?? order.count) < (order.firstIndex(of: $1) ?? order.count) }, false)
    }

    static func read(using reader: ClusterReader, state: ReadState) async -> Discovery {
        var served = Set<Served>()
        var found: [APIResource] = []
        var failed: [String] = []
        var failedVersions = Set<String>()
        var preferredVersions: [String: String] = [:]
        var groupVersions: [String: [String]]? = [:]
        var coreListed = true

        func resources(_ groupVersion: String, group: String, path: String) async {
            switch await reader.getJSON(path, state: state) {
            case .success(let list):
                for r in list["resources"]?.arrayValue ?? [] {
                    guard let name = r["name"]?.stringValue else { continue }
                    served.insert(Served(groupVersion: groupVersion, resource: name))
                    if name.contains("/") { continue }  // subresources
                    let kind = r["kind"]?.stringValue ?? ""
                    let singular = r["singularName"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? kind.lowercased()
                    let short = (r["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue)
                    let namespaced = r["namespaced"]?.boolValue ?? true
                    if !found.contains(where: { $0.group == group && $0.name == name }) {
                        var resource = APIResource(group, name, singular, short, namespaced: namespaced)
                        resource.kind = kind.isEmpty ? nil : kind
                        found.append(resource)
                    }
                }
            case .failure(_, let reason):
                failed.append("\(path): \(reason)")
                failedVersions.insert(groupVersion)
            }
        }

        switch await reader.getJSON("/api", state: state) {
        case .success(let v):
            for version in (v["versions"]?.arrayValue ?? []).compactMap(\.stringValue) {
                await resources(version, group: "", path: "/api/\(version)")
            }
        case .failure(let status, let reason):
            // The first request: when no HTTP answer ever came, the server cannot be reached.
            if status == nil {
                await state.fail(.connection("cannot reach the API server \(reader.server) (\(reader.origin)): \(reason)"))
                return Discovery(served: nil, resources: APIResource.standard)
            }
            failed.append("/api: \(reason)")
            coreListed = false
        }
        switch await reader.getJSON("/apis", state: state) {
        case .success(let v):
            let wanted = Set(ClusterReader.targets.map(\.groupVersion))
            for g in v["groups"]?.arrayValue ?? [] {
                guard let name = g["name"]?.stringValue else { continue }
                let preferred = g["preferredVersion"]?["groupVersion"]?.stringValue
                if let preferred { preferredVersions[name] = preferred }
                let versions = (g["versions"]?.arrayValue ?? []).compactMap({ $0["groupVersion"]?.stringValue })
                groupVersions?[name] = (preferred.map { [$0] } ?? []) + versions.filter { $0 != preferred }
                for gv in versions where gv == preferred || wanted.contains(gv) {
                    await resources(gv, group: name, path: "/apis/\(gv)")
                }
            }
        case .failure(_, let reason):
            failed.append("/apis: \(reason)")
            groupVersions = nil
        }

        if !failed.isEmpty {
            await state.gap(ReadGap(
                resource: "discovery",
                reason: "API discovery incomplete (\(failed.joined(separator: "; "))): resource names resolve with the built-in table"))
        }
        var all = found
        for r in APIResource.standard where !all.contains(where: { $0.group == r.group && $0.name == r.name }) {
            all.append(r)
        }
        return Discovery(
            served: failed.isEmpty && !found.isEmpty ? served : nil, preferred: preferredVersions, discovered: served,
            groupVersions: found.isEmpty ? nil : groupVersions, coreListed: coreListed && !found.isEmpty, failed: failedVersions,
            resources: found.isEmpty ? APIResource.standard : all)
    }
}
