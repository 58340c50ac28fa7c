import Foundation
import RBACCore
import RBACLoading

/// The objects a fake API server stores, by resource, as the API server would list them:
/// items without `kind` and `apiVersion`, namespaced objects with their namespace (`default`
/// when the manifest names none).
public struct FakeWorld: Sendable {
    /// A resource the fake serves.
    public struct Resource: Sendable, Hashable {
        public var group: String
        public var version: String
        public var name: String
        public var kind: String
        public var namespaced: Bool
        public var shortNames: [String] = []

        public var groupVersion: String { group.isEmpty ? version : "\(group)/\(version)" }
    }

    /// One stored object: its namespace and its JSON (without kind and apiVersion).
    public struct Item: Sendable {
        public var namespace: String?
        public var name: String
        public var object: JSONValue
    }

    /// The built-in resources, as discovery lists them.
    public static let builtin: [Resource] = [
        Resource(group: "", version: "v1", name: "namespaces", kind: "Namespace", namespaced: false, shortNames: ["ns"]),
        Resource(group: "", version: "v1", name: "serviceaccounts", kind: "ServiceAccount", namespaced: true, shortNames: ["sa"]),
        Resource(group: "", version: "v1", name: "pods", kind: "Pod", namespaced: true, shortNames: ["po"]),
        Resource(group: "", version: "v1", name: "secrets", kind: "Secret", namespaced: true),
        Resource(group: "", version: "v1", name: "configmaps", kind: "ConfigMap", namespaced: true, shortNames: ["cm"]),
        Resource(group: "", version: "v1", name: "replicationcontrollers", kind: "ReplicationController", namespaced: true, shortNames: ["rc"]),
        Resource(group: "apps", version: "v1", name: "deployments", kind: "Deployment", namespaced: true, shortNames: ["deploy"]),
        Resource(group: "apps", version: "v1", name: "replicasets", kind: "ReplicaSet", namespaced: true, shortNames: ["rs"]),
        Resource(group: "apps", version: "v1", name: "statefulsets", kind: "StatefulSet", namespaced: true, shortNames: ["sts"]),
        Resource(group: "apps", version: "v1", name: "daemonsets", kind: "DaemonSet", namespaced: true, shortNames: ["ds"]),
        Resource(group: "batch", version: "v1", name: "jobs", kind: "Job", namespaced: true),
        Resource(group: "batch", version: "v1", name: "cronjobs", kind: "CronJob", namespaced: true, shortNames: ["cj"]),
        Resource(group: "rbac.authorization.k8s.io", version: "v1", name: "clusterroles", kind: "ClusterRole", namespaced: false),
        Resource(group: "rbac.authorization.k8s.io", version: "v1", name: "clusterrolebindings", kind: "ClusterRoleBinding", namespaced: false),
        Resource(group: "rbac.authorization.k8s.io", version: "v1", name: "roles", kind: "Role", namespaced: true),
        Resource(group: "rbac.authorization.k8s.io", version: "v1", name: "rolebindings", kind: "RoleBinding", namespaced: true),
        Resource(group: "apiextensions.k8s.io", version: "v1", name: "customresourcedefinitions", kind: "CustomResourceDefinition", namespaced: false, shortNames: ["crd", "crds"]),
    ]

    public var resources: [Resource]
    public var items: [String: [Item]] = [:]  // by resource name

    public init() { resources = Self.builtin }

    /// The stored objects of a resource (empty when none).
    public func items(of resource: String) -> [Item] { items[resource] ?? [] }

    /// Adds one object given as JSON (with `kind`); unknown kinds are ignored, as the API
    /// server would refuse them. A CustomResourceDefinition also adds its resource to discovery.
    public mutating func add(_ object: JSONValue) {
        guard let kind = object["kind"]?.stringValue else { return }
        if kind.hasSuffix("List"), let list = object["items"]?.arrayValue {
            for item in list { add(item) }
            return
        }
        guard let resource = resources.first(where: { $0.kind == kind }) else { return }
        // Another API group's kind of the same name (a Kyverno Policy, …) is not this resource.
        if let apiVersion = object["apiVersion"]?.stringValue {
            let group = apiVersion.contains("/") ? String(apiVersion.split(separator: "/")[0]) : ""
            if group != resource.group { return }
        }
        guard case .object(var pairs) = object else { return }
        pairs.removeAll { $0.0 == "kind" || $0.0 == "apiVersion" }
        var metadata = object["metadata"] ?? .object([])
        guard let name = metadata["name"]?.stringValue, !name.isEmpty else { return }
        var namespace: String? = nil
        if resource.namespaced {
            let ns = metadata["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? "default"
            namespace = ns
            if case .object(var m) = metadata {
                m.removeAll { $0.0 == "namespace" }
                m.insert(("namespace", .string(ns)), at: min(1, m.count))
                metadata = .object(m)
            }
            if let i = pairs.firstIndex(where: { $0.0 == "metadata" }) { pairs[i].1 = metadata }
        }
        // One object per name, as in a real store: the last one written wins.
        var list = items[resource.name] ?? []
        list.removeAll { $0.namespace == namespace && $0.name == name }
        list.append(Item(namespace: namespace, name: name, object: .object(pairs)))
        items[resource.name] = list
        if kind == "CustomResourceDefinition", let spec = object["spec"], let group = spec["group"]?.stringValue,
            let plural = spec["names"]?["plural"]?.stringValue, let crdKind = spec["names"]?["kind"]?.stringValue
        {
            let version = (spec["versions"]?.arrayValue?.first?["name"]?.stringValue) ?? "v1"
            let short = (spec["names"]?["shortNames"]?.arrayValue ?? []).compactMap(\.stringValue)
            resources.removeAll { $0.group == group && $0.name == plural }
            resources.append(Resource(
                group: group, version: version, name: plural, kind: crdKind,
                namespaced: spec["scope"]?.stringValue != "Cluster", shortNames: short))
        }
    }

    /// A world from manifest files (YAML, multi-document, `kind: List`, JSON).
    public static func load(files: [String]) throws -> FakeWorld {
        var world = FakeWorld()
        for f in files {
            let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: f)))
            for doc in try YAMLTree.parseDocuments(bytes, typed: true) { world.add(doc) }
        }
        return world
    }

    /// Sorted as the API server's store lists them: by namespace, then name.
    public mutating func sortAsStored() {
        for (k, v) in items {
            items[k] = v.sorted { ($0.namespace ?? "", $0.name) < ($1.namespace ?? "", $1.name) }
        }
    }
}
