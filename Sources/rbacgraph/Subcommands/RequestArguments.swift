import ArgumentParser
import RBACCore

/// `VERB TYPE[/NAME] [NAME]` with the kubectl flags that shape a request, read by the library's
/// ``RequestWords`` (kubectl's grammar, rbacgraph's notation first).
struct RequestArguments: ParsableArguments {
    @Argument(help: "The verb: get, list, watch, create, update, patch, delete, deletecollection, bind, escalate, impersonate, use, … or *.")
    var verb: String

    @Argument(help: ArgumentHelp(
        "TYPE or TYPE/NAME as kubectl takes them (secrets, secret/db, cm, deploy, deployments.apps), a non-resource path (/healthz), or secret:NS/NAME, sa:NS/NAME, user:NAME, group:NAME, vault:MOUNT/PATH, store:NS/NAME, store:*/NAME, clusterstore:NAME, or PROVIDER:OBJECT (an object of a SecretProviderClass).",
        valueName: "resource"))
    var resource: String

    @Argument(help: "An object name (the same as TYPE/NAME).")
    var name: String?

    @Option(name: .shortAndLong, help: "The namespace of the request.")
    var namespace: String?

    @Option(help: ArgumentHelp("The API group of the resource, instead of the built-in table's (\"\" is core).", valueName: "group"))
    var apiGroup: String?

    @Option(help: "A subresource: pods --subresource exec (kubectl reads pods/exec as the pod named \"exec\").")
    var subresource: String?

    func validate() throws {
        // A Vault path: its verb is a Vault capability, checked by the command.
        if resource.hasPrefix("vault:") { return }
        // A store: its verb (use, read, write) is checked by the command.
        if StoreTarget.isStoreTarget(resource) { return }
        // PROVIDER:OBJECT, an object of a SecretProviderClass: the command checks it once the
        // input is loaded (when the input names no such object, as a Kubernetes resource).
        if ProviderObjectTarget.parse(resource) != nil, (try? words().parse()) == nil { return }
        do { _ = try words().parse() } catch { throw ValidationError(error.message) }
    }

    func words(clusterWide: Bool = false, resources: [APIResource] = APIResource.standard) -> RequestWords {
        var w = RequestWords(
            verb: verb, target: resource, name: name, namespace: namespace, clusterWide: clusterWide, apiGroup: apiGroup,
            subresource: subresource)
        w.resources = resources
        return w
    }

    /// The request, printing how it was read (unless quiet). `resources`: what TYPE resolves
    /// against (a cluster's discovered resources, or the built-in table).
    func request(quiet: Bool, clusterWide: Bool = false, resources: [APIResource] = APIResource.standard) throws -> Request {
        let parsed: RequestWords.Parsed
        do { parsed = try words(clusterWide: clusterWide, resources: resources).parse() } catch { throw ValidationError(error.message) }
        if !quiet { parsed.warnings.forEach(Terminal.warn) }
        return parsed.request
    }
}
