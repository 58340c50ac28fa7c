import RBACCore

/// Secrets without their values.
///
/// What crosses the wire, per namespace:
/// 1. `GET /api/v1/namespaces/NS/secrets?includeObject=None&limit=500` with
///    `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`: a Table whose rows are the
///    name, type, number of keys and age of each secret. No values, no annotations.
/// 2. Only when that namespace has `kubernetes.io/service-account-token` secrets:
///    `GET /api/v1/namespaces/NS/secrets?fieldSelector=type=kubernetes.io/service-account-token`
///    as `PartialObjectMetadataList`: their metadata (names, labels, annotations — which name
///    the service account). Of the annotations only ``ClusterReader/keptSecretAnnotations``
///    are kept; the rest, `kubectl.kubernetes.io/last-applied-configuration` among them, is
///    dropped before anything is stored.
///
/// Secret bodies (`data`, `stringData`) are never requested.
enum Secrets {
    static let tokenType = "kubernetes.io/service-account-token"

    static func read(namespaces: [String], using reader: ClusterReader, state: ReadState) async -> [SecretMetadata] {
        var byNamespace: [String: [SecretMetadata]] = [:]
        await withTaskGroup(of: (String, [SecretMetadata]).self) { group in
            var next = 0
            func add() {
                let ns = namespaces[next]
                next += 1
                group.addTask { (ns, await readNamespace(ns, using: reader, state: state)) }
            }
            while next < min(reader.options.concurrency, namespaces.count) { add() }
            for await (ns, secrets) in group {
                byNamespace[ns] = secrets
                if next < namespaces.count { add() }
            }
        }
        return namespaces.flatMap { byNamespace[$0] ?? [] }
    }

    static func readNamespace(_ ns: String, using reader: ClusterReader, state: ReadState) async -> [SecretMetadata] {
        let base = "/api/v1/namespaces/\(ns)/secrets"
        var secrets: [SecretMetadata] = []
        var token: String? = nil
        var restarts = 0
        while true {
            var path = "\(base)?includeObject=None&limit=\(reader.options.pageSize)"
            if let token { path += "&continue=\(ClusterReader.queryEscape(token))" }
            switch await reader.getJSON(path, accept: ClusterReader.tableAccept, state: state) {
            case .success(let table):
                guard table["kind"]?.stringValue == "Table" else {
                    await state.gap(ReadGap(resource: "secrets", namespace: ns, reason: "the server did not answer with a Table"))
                    return secrets
                }
                let columns = (table["columnDefinitions"]?.arrayValue ?? []).map { $0["name"]?.stringValue ?? "" }
                guard let nameColumn = columns.firstIndex(of: "Name"), let typeColumn = columns.firstIndex(of: "Type") else {
                    await state.gap(ReadGap(resource: "secrets", namespace: ns, reason: "the secrets Table has no Name and Type columns"))
                    return secrets
                }
                for row in table["rows"]?.arrayValue ?? [] {
                    let cells = row["cells"]?.arrayValue ?? []
                    guard cells.count > max(nameColumn, typeColumn), let name = cells[nameColumn].stringValue else { continue }
                    secrets.append(SecretMetadata(
                        namespace: ns, name: name, type: cells[typeColumn].stringValue ?? "Opaque",
                        source: SourceLocation(file: "\(reader.server)\(base)", line: secrets.count + 1, column: 1)))
                }
                await state.add(bytes: 0, objects: 0)
                guard let next = table["metadata"]?["continue"]?.stringValue, !next.isEmpty else {
                    return await annotateTokens(secrets, ns: ns, using: reader, state: state)
                }
                token = next
            case .failure(let status, let reason):
                if status == 410, token != nil, restarts < reader.options.maxRestarts {
                    restarts += 1
                    secrets = []
                    token = nil
                    continue
                }
                await state.gap(ReadGap(resource: "secrets", namespace: ns, status: status, reason: reason))
                return []
            }
        }
    }

    /// Adds the service-account annotations of token secrets from a metadata list.
    static func annotateTokens(_ secrets: [SecretMetadata], ns: String, using reader: ClusterReader, state: ReadState) async -> [SecretMetadata] {
        guard secrets.contains(where: { $0.type == tokenType }) else { return secrets }
        var annotations: [String: [String: String]] = [:]
        var token: String? = nil
        while true {
            var path = "/api/v1/namespaces/\(ns)/secrets?fieldSelector=\(ClusterReader.queryEscape("type=\(tokenType)"))&limit=\(reader.options.pageSize)"
            if let token { path += "&continue=\(ClusterReader.queryEscape(token))" }
            switch await reader.getJSON(path, accept: ClusterReader.metadataAccept, state: state) {
            case .success(let list):
                for item in list["items"]?.arrayValue ?? [] {
                    guard let name = item["metadata"]?["name"]?.stringValue else { continue }
                    var kept: [String: String] = [:]
                    if case .object(let pairs)? = item["metadata"]?["annotations"] {
                        for (k, v) in pairs where ClusterReader.keptSecretAnnotations.contains(k) { kept[k] = v.stringValue }
                    }
                    annotations[name] = kept
                }
                guard let next = list["metadata"]?["continue"]?.stringValue, !next.isEmpty else {
                    return secrets.map { s in
                        var s = s
                        if let a = annotations[s.name] { s.annotations = a }
                        return s
                    }
                }
                token = next
            case .failure(let status, let reason):
                await state.gap(ReadGap(
                    resource: "secrets", namespace: ns, status: status,
                    reason: "service-account token secrets: which service account each belongs to is unknown (\(reason))"))
                return secrets
            }
        }
    }
}
