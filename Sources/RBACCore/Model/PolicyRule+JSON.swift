extension PolicyRule {
    /// The rule in its Kubernetes JSON form (`verbs`, `apiGroups`, `resources`,
    /// `resourceNames`, `nonResourceURLs`, in that order), empty lists left out: how eval
    /// answers, `-o json` output, path evidence and the JSON report show a rule.
    public var json: JSONValue {
        var pairs: [(String, JSONValue)] = []
        func add(_ k: String, _ v: [String]) { if !v.isEmpty { pairs.append((k, .array(v.map { .string($0) }))) } }
        add("verbs", verbs)
        add("apiGroups", apiGroups)
        add("resources", resources)
        add("resourceNames", resourceNames)
        add("nonResourceURLs", nonResourceURLs)
        return .object(pairs)
    }
}

extension Subject {
    /// The subject's fields as JSON shows them: `kind` (verbatim), `name`, and `namespace`
    /// for a service account.
    public var jsonFields: [(String, JSONValue)] {
        var pairs: [(String, JSONValue)] = [("kind", .string(kind)), ("name", .string(name))]
        if isKind(.serviceAccount) { pairs.append(("namespace", .string(namespace))) }
        return pairs
    }

    /// ``jsonFields`` as an object: how who-can answers and grants show a subject.
    public var json: JSONValue { .object(jsonFields) }
}
