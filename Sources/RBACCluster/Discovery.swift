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

    /// What the cluster serves, or `nil` when discovery failed and every kind is tried.
    var served: Set<Served>?
    /// Each group's preferred group-version (`external-secrets.io` → `external-secrets.io/v1`).
    var preferred: [String: String] = [:]
    /// Discovered resources first, then the built-in table's entries the cluster did not list
    /// (the virtual resources RBAC names: `users`, `groups`, `signers`, …).
    var resources: [APIResource]

    static func read(using reader: ClusterReader, state: ReadState) async -> Discovery {
        var served = Set<Served>()
        var found: [APIResource] = []
        var failed: [String] = []
        var preferredVersions: [String: String] = [:]

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
                        found.append(APIResource(group, name, singular, short, namespaced: namespaced))
                    }
                }
            case .failure(_, let reason):
                failed.append("\(path): \(reason)")
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
        }
        switch await reader.getJSON("/apis", state: state) {
        case .success(let v):
            let wanted = Set(ClusterReader.targets.map(\.groupVersion))
            for g in v["groups"]?.arrayValue ?? [] {
                guard let name = g["name"]?.stringValue else { continue }
                let preferred = g["preferredVersion"]?["groupVersion"]?.stringValue
                if let preferred { preferredVersions[name] = preferred }
                for gv in (g["versions"]?.arrayValue ?? []).compactMap({ $0["groupVersion"]?.stringValue })
                where gv == preferred || wanted.contains(gv) {
                    await resources(gv, group: name, path: "/apis/\(gv)")
                }
            }
        case .failure(_, let reason):
            failed.append("/apis: \(reason)")
        }

        if !failed.isEmpty {
            await state.gap(ReadGap(
                resource: "discovery",
                reason: "API discovery incomplete (\(failed.joined(separator: "; "))): resource names resolve with the built-in table"))
        }
        if found.isEmpty { return Discovery(served: nil, resources: APIResource.standard) }
        var all = found
        for r in APIResource.standard where !all.contains(where: { $0.group == r.group && $0.name == r.name }) {
            all.append(r)
        }
        return Discovery(served: failed.isEmpty ? served : nil, preferred: preferredVersions, resources: all)
    }
}
