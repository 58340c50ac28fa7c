/// The standard Kubernetes API resources, to turn what people type (`secrets`, `secret`,
/// `deploy`, `deployments.apps`, `pods/exec`) into the API group and resource RBAC compares.
public struct APIResource: Hashable, Sendable {
    public var group: String
    /// The plural resource name RBAC uses (`deployments`).
    public var name: String
    public var singular: String
    public var shortNames: [String]
    /// Whether objects live in namespaces; requests for cluster-scoped resources never carry one.
    public var namespaced: Bool
    /// The kind of its objects, when discovery said it (`nil` in the built-in table).
    public var kind: String?

    public init(_ group: String, _ name: String, _ singular: String, _ shortNames: [String] = [], namespaced: Bool = true) {
        self.group = group
        self.name = name
        self.singular = singular
        self.shortNames = shortNames
        self.namespaced = namespaced
    }

    /// The resources of a current Kubernetes release, plus the virtual ones RBAC rules name
    /// (`users`, `groups` and `userextras` for impersonation, `signers`).
    public static let standard: [APIResource] = [
        APIResource("", "bindings", "binding"),
        APIResource("", "componentstatuses", "componentstatus", ["cs"], namespaced: false),
        APIResource("", "configmaps", "configmap", ["cm"]),
        APIResource("", "endpoints", "endpoints", ["ep"]),
        APIResource("", "events", "event", ["ev"]),
        APIResource("", "limitranges", "limitrange", ["limits"]),
        APIResource("", "namespaces", "namespace", ["ns"], namespaced: false),
        APIResource("", "nodes", "node", ["no"], namespaced: false),
        APIResource("", "persistentvolumeclaims", "persistentvolumeclaim", ["pvc"]),
        APIResource("", "persistentvolumes", "persistentvolume", ["pv"], namespaced: false),
        APIResource("", "pods", "pod", ["po"]),
        APIResource("", "podtemplates", "podtemplate"),
        APIResource("", "replicationcontrollers", "replicationcontroller", ["rc"]),
        APIResource("", "resourcequotas", "resourcequota", ["quota"]),
        APIResource("", "secrets", "secret"),
        APIResource("", "serviceaccounts", "serviceaccount", ["sa"]),
        APIResource("", "services", "service", ["svc"]),
        APIResource("", "users", "user", namespaced: false),
        APIResource("", "groups", "group", namespaced: false),
        APIResource("admissionregistration.k8s.io", "mutatingwebhookconfigurations", "mutatingwebhookconfiguration", namespaced: false),
        APIResource("admissionregistration.k8s.io", "validatingwebhookconfigurations", "validatingwebhookconfiguration", namespaced: false),
        APIResource("admissionregistration.k8s.io", "validatingadmissionpolicies", "validatingadmissionpolicy", namespaced: false),
        APIResource("admissionregistration.k8s.io", "validatingadmissionpolicybindings", "validatingadmissionpolicybinding", namespaced: false),
        APIResource("apiextensions.k8s.io", "customresourcedefinitions", "customresourcedefinition", ["crd", "crds"], namespaced: false),
        APIResource("apiregistration.k8s.io", "apiservices", "apiservice", namespaced: false),
        APIResource("apps", "controllerrevisions", "controllerrevision"),
        APIResource("apps", "daemonsets", "daemonset", ["ds"]),
        APIResource("apps", "deployments", "deployment", ["deploy"]),
        APIResource("apps", "replicasets", "replicaset", ["rs"]),
        APIResource("apps", "statefulsets", "statefulset", ["sts"]),
        APIResource("authentication.k8s.io", "tokenreviews", "tokenreview", namespaced: false),
        APIResource("authentication.k8s.io", "selfsubjectreviews", "selfsubjectreview", namespaced: false),
        APIResource("authentication.k8s.io", "userextras", "userextra", namespaced: false),
        APIResource("authentication.k8s.io", "uids", "uid", namespaced: false),
        APIResource("authorization.k8s.io", "localsubjectaccessreviews", "localsubjectaccessreview"),
        APIResource("authorization.k8s.io", "selfsubjectaccessreviews", "selfsubjectaccessreview", namespaced: false),
        APIResource("authorization.k8s.io", "selfsubjectrulesreviews", "selfsubjectrulesreview", namespaced: false),
        APIResource("authorization.k8s.io", "subjectaccessreviews", "subjectaccessreview", namespaced: false),
        APIResource("autoscaling", "horizontalpodautoscalers", "horizontalpodautoscaler", ["hpa"]),
        APIResource("batch", "cronjobs", "cronjob", ["cj"]),
        APIResource("batch", "jobs", "job"),
        APIResource("certificates.k8s.io", "certificatesigningrequests", "certificatesigningrequest", ["csr"], namespaced: false),
        APIResource("certificates.k8s.io", "signers", "signer", namespaced: false),
        APIResource("certificates.k8s.io", "clustertrustbundles", "clustertrustbundle", namespaced: false),
        APIResource("coordination.k8s.io", "leases", "lease"),
        APIResource("discovery.k8s.io", "endpointslices", "endpointslice"),
        APIResource("events.k8s.io", "events", "event", ["ev"]),
        APIResource("flowcontrol.apiserver.k8s.io", "flowschemas", "flowschema", namespaced: false),
        APIResource("flowcontrol.apiserver.k8s.io", "prioritylevelconfigurations", "prioritylevelconfiguration", namespaced: false),
        APIResource("networking.k8s.io", "ingressclasses", "ingressclass", namespaced: false),
        APIResource("networking.k8s.io", "ingresses", "ingress", ["ing"]),
        APIResource("networking.k8s.io", "networkpolicies", "networkpolicy", ["netpol"]),
        APIResource("networking.k8s.io", "ipaddresses", "ipaddress", namespaced: false),
        APIResource("networking.k8s.io", "servicecidrs", "servicecidr", namespaced: false),
        APIResource("node.k8s.io", "runtimeclasses", "runtimeclass", namespaced: false),
        APIResource("policy", "poddisruptionbudgets", "poddisruptionbudget", ["pdb"]),
        APIResource("policy", "podsecuritypolicies", "podsecuritypolicy", ["psp"], namespaced: false),
        APIResource("rbac.authorization.k8s.io", "clusterrolebindings", "clusterrolebinding", namespaced: false),
        APIResource("rbac.authorization.k8s.io", "clusterroles", "clusterrole", namespaced: false),
        APIResource("rbac.authorization.k8s.io", "rolebindings", "rolebinding"),
        APIResource("rbac.authorization.k8s.io", "roles", "role"),
        APIResource("resource.k8s.io", "deviceclasses", "deviceclass", namespaced: false),
        APIResource("resource.k8s.io", "resourceclaims", "resourceclaim"),
        APIResource("resource.k8s.io", "resourceclaimtemplates", "resourceclaimtemplate"),
        APIResource("resource.k8s.io", "resourceslices", "resourceslice", namespaced: false),
        APIResource("scheduling.k8s.io", "priorityclasses", "priorityclass", ["pc"], namespaced: false),
        APIResource("storage.k8s.io", "csidrivers", "csidriver", namespaced: false),
        APIResource("storage.k8s.io", "csinodes", "csinode", namespaced: false),
        APIResource("storage.k8s.io", "csistoragecapacities", "csistoragecapacity"),
        APIResource("storage.k8s.io", "storageclasses", "storageclass", ["sc"], namespaced: false),
        APIResource("storage.k8s.io", "volumeattachments", "volumeattachment", namespaced: false),
    ]
}

/// A resource as typed on the command line, resolved.
public struct ResolvedResource: Hashable, Sendable {
    public var apiGroup: String
    public var resource: String
    public var subresource: String
    /// `nil` when the resource is not in the built-in table.
    public var known: APIResource?
}

extension APIResource {
    /// Resolves `secrets`, `secret`, `cm`, `deploy`, `deployments.apps`,
    /// `deployments.v1.apps`, `pods/exec` or `foos.example.com` (a custom resource).
    ///
    /// Names are matched against plural, singular and short names, the core group first when
    /// several groups share a name (`events`). With `apiGroup` given, only that group is
    /// searched. A name found nowhere is kept as typed, in the core group (or the group named
    /// after its first dot).
    ///
    /// `table` is the built-in table for files; for a live cluster, the resources its API
    /// discovery listed (so custom resources and their short names resolve as in kubectl).
    public static func resolve(_ typed: String, apiGroup: String? = nil, in table: [APIResource] = standard) -> ResolvedResource {
        var base = Substring(typed)
        var sub = ""
        if let slash = typed.firstIndex(of: "/") {
            base = typed[..<slash]
            sub = String(typed[typed.index(after: slash)...])
        }
        let lower = base.lowercased()
        func find(_ name: String, inGroup group: String?) -> APIResource? {
            table.first { r in
                (group.map { r.group == $0 } ?? true) && (r.name == name || r.singular == name || r.shortNames.contains(name))
            }
        }
        if let apiGroup {
            if let r = find(lower, inGroup: apiGroup) { return ResolvedResource(apiGroup: apiGroup, resource: r.name, subresource: sub, known: r) }
            return ResolvedResource(apiGroup: apiGroup, resource: String(base), subresource: sub, known: nil)
        }
        if let r = find(lower, inGroup: nil) {
            return ResolvedResource(apiGroup: r.group, resource: r.name, subresource: sub, known: r)
        }
        if let dot = lower.firstIndex(of: ".") {
            let name = String(lower[..<dot])
            var group = String(lower[lower.index(after: dot)...])
            // resource.version.group
            if let d2 = group.firstIndex(of: "."), group.hasPrefix("v"), group[group.index(after: group.startIndex)].isNumber {
                group = String(group[group.index(after: d2)...])
            }
            if let r = find(name, inGroup: group) { return ResolvedResource(apiGroup: group, resource: r.name, subresource: sub, known: r) }
            return ResolvedResource(apiGroup: group, resource: name, subresource: sub, known: nil)
        }
        return ResolvedResource(apiGroup: "", resource: String(base), subresource: sub, known: nil)
    }
}

extension APIResource {
    /// The resource RBAC names for objects of `kind` in API group `group`: the built-in
    /// table's entry whose singular is the kind in lower case (`ConfigMap` → `configmaps`);
    /// for a kind it does not hold (a custom resource), the plural guessed as the API
    /// machinery guesses it without discovery (`meta.UnsafeGuessKindToResource`): lower case,
    /// `…s` → `…ses`, `…y` → `…ies`, `…endpoints` unchanged, else `+s` (`Application` →
    /// `applications`). A guess may be wrong: a CustomResourceDefinition may name any plural.
    /// - Returns: the resource, and the table's entry (`nil`: guessed).
    public static func resource(ofKind kind: String, group: String, in table: [APIResource] = standard) -> (name: String, known: APIResource?) {
        let singular = kind.lowercased()
        if let r = table.first(where: { $0.group == group && $0.singular == singular }) { return (r.name, r) }
        if singular.isEmpty || singular.hasSuffix("endpoints") { return (singular, nil) }
        if singular.hasSuffix("s") { return (singular + "es", nil) }
        if singular.hasSuffix("y") { return (String(singular.dropLast()) + "ies", nil) }
        return (singular + "s", nil)
    }
}
