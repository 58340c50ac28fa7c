import ArgumentParser
import RBACCore

/// `VERB RESOURCE [NAME]` with the kubectl-style flags that shape a request.
struct RequestArguments: ParsableArguments {
    @Argument(help: "The verb: get, list, watch, create, update, patch, delete, deletecollection, bind, escalate, impersonate, use, … or *.")
    var verb: String

    @Argument(help: ArgumentHelp(
        "The resource as kubectl takes it (secrets, secret, cm, deploy, deployments.apps, pods/exec), or a non-resource path (/healthz).",
        valueName: "resource"))
    var resource: String

    @Argument(help: "An object name (optional).")
    var name: String?

    @Option(name: .shortAndLong, help: "The namespace of the request.")
    var namespace: String?

    @Option(help: ArgumentHelp("The API group of the resource, instead of the built-in table's (\"\" is core).", valueName: "group"))
    var apiGroup: String?

    @Option(help: "A subresource (the same as RESOURCE/SUBRESOURCE).")
    var subresource: String?

    /// The request, and a warning when the resource is not in the table (the built-in one for
    /// files, the cluster's discovered resources for a cluster).
    func request(defaultNamespace: String = "default", resources: [APIResource] = APIResource.standard) -> (request: Request, warning: String?) {
        if resource.hasPrefix("/") {
            return (.nonResource(verb: verb, path: resource), nil)
        }
        let r = APIResource.resolve(resource, apiGroup: apiGroup, in: resources)
        var sub = r.subresource
        if let subresource { sub = subresource }
        var ns = namespace ?? defaultNamespace
        if let known = r.known, !known.namespaced { ns = "" }
        let warning = r.known == nil
            ? "resource \"\(r.resource)\" is not in the \(resources == APIResource.standard ? "built-in table" : "cluster's API discovery"): using it as typed in group \"\(r.apiGroup)\" (use --api-group to choose)"
            : nil
        return (.resource(ResourceRequest(
            verb: verb, apiGroup: r.apiGroup, resource: r.resource, subresource: sub, namespace: ns, name: name ?? "")), warning)
    }
}
