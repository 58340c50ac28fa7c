/// A container running the External Secrets Operator's controller: the image
/// `…/external-secrets` without a subcommand (the same image runs the webhook as `webhook`
/// and the certificate controller as `certcontroller`), or any container whose arguments
/// carry `--unsafe-allow-generic-targets`. The flag decides whether the operator writes
/// objects other than Secrets (`spec.target.manifest`): without it, an ExternalSecret naming
/// one fails ("generic targets are disabled").
public struct ExternalSecretsController: Hashable, Sendable {
    /// The container's name.
    public var container: String?
    /// Its image.
    public var image: String?
    /// The last `--unsafe-allow-generic-targets[=VALUE]` argument as written; `nil` when absent.
    public var genericTargetsArgument: String?

    public init(container: String? = nil, image: String? = nil, genericTargetsArgument: String? = nil) {
        self.container = container
        self.image = image
        self.genericTargetsArgument = genericTargetsArgument
    }

    /// The flag's name.
    public static let genericTargetsFlag = "--unsafe-allow-generic-targets"

    /// Whether the controller writes generic targets: the flag alone, or with a value Go's
    /// `strconv.ParseBool` reads as true (`1`, `t`, `T`, `true`, `TRUE`, `True`). `false`
    /// when it is absent, false, or a value the operator refuses to start with.
    public var allowsGenericTargets: Bool {
        guard let a = genericTargetsArgument else { return false }
        if a == Self.genericTargetsFlag { return true }
        return ["1", "t", "T", "true", "TRUE", "True"].contains(String(a.dropFirst(Self.genericTargetsFlag.count + 1)))
    }

    /// The controller a container's command line runs, if any: `arguments` are the
    /// container's `command` after the executable followed by its `args`, as the kubelet
    /// joins them. Flags are read as the operator's flag parser reads them: up to `--`, the
    /// last occurrence winning; the first word that is no flag is the subcommand.
    public static func running(container: String?, image: String?, arguments: [String]) -> ExternalSecretsController? {
        var flag: String? = nil
        var subcommand: String? = nil
        for a in arguments {
            if a == "--" { break }
            if a == genericTargetsFlag || a.hasPrefix(genericTargetsFlag + "=") {
                flag = a
            } else if subcommand == nil, !a.hasPrefix("-") {
                subcommand = a
            }
        }
        if subcommand == "webhook" || subcommand == "certcontroller" { return nil }
        guard flag != nil || image.map(isOperatorImage) == true else { return nil }
        return ExternalSecretsController(container: container, image: image, genericTargetsArgument: flag)
    }

    /// Whether an image is the operator's: its repository's last path segment is
    /// `external-secrets` (`ghcr.io/external-secrets/external-secrets:v0.20.4`,
    /// `oci.external-secrets.io/external-secrets/external-secrets@sha256:…`).
    public static func isOperatorImage(_ image: String) -> Bool {
        var repository = Substring(image)
        if let at = repository.firstIndex(of: "@") { repository = repository[..<at] }
        let last = repository.split(separator: "/", omittingEmptySubsequences: false).last ?? repository
        let name = last.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).first ?? last
        return name == "external-secrets"
    }
}

/// Whether the operator writes objects other than Secrets (`--unsafe-allow-generic-targets`),
/// as far as the input shows: decided by the operator's Deployments when the input holds one.
public enum GenericTargetsSetting: Hashable, Sendable {
    /// A Deployment of the input runs the controller with the flag on: the evidence.
    case allowed(String)
    /// The input's Deployments run the controller, none with the flag on: the evidence.
    case refused(String)
    /// No Deployment of the input runs the controller: a stated condition.
    case unknown

    /// Decided by the Deployments among `workloads` that run the controller: allowed when
    /// one of them has the flag on, refused when none has; unknown when there is none (other
    /// kinds do not decide: a ReplicaSet of an older revision may hold older arguments).
    public init(workloads: [Workload]) {
        var refusedBy: String? = nil
        for w in workloads where w.kind == "Deployment" {
            guard let c = w.template.externalSecretsController else { continue }
            let at = w.source.map { " at \($0)" } ?? ""
            let container = c.container.map { " (container \($0))" } ?? ""
            if c.allowsGenericTargets {
                self = .allowed("Deployment \(w.namespace)/\(w.name)\(at) runs the operator with \(c.genericTargetsArgument ?? "")\(container)")
                return
            }
            if refusedBy == nil {
                let how = c.genericTargetsArgument.map { "with \($0)" } ?? "without \(ExternalSecretsController.genericTargetsFlag)"
                refusedBy = "Deployment \(w.namespace)/\(w.name)\(at) runs the operator \(how)\(container)"
            }
        }
        self = refusedBy.map(GenericTargetsSetting.refused) ?? .unknown
    }
}

extension Cluster {
    /// What the operator's Deployments say of generic targets (``GenericTargetsSetting``).
    public var genericTargets: GenericTargetsSetting { GenericTargetsSetting(workloads: workloads) }
}

extension AccessGraph {
    /// One line for each ExternalSecret that writes an object other than a Secret while the
    /// operator's Deployments refuse generic targets: the operator writes none of them, and
    /// no answer counts one.
    public func refusedGenericTargetNotes() -> [String] {
        guard case .refused(let why) = genericTargets else { return [] }
        return external.externalSecrets.filter { !$0.writesSecret && $0.kind != .pushSecret }.map { es in
            let what = "\(es.kind.rawValue) \(es.namespace.map { "\($0)/" } ?? "")\(es.name)\(es.source.map { " at \($0)" } ?? "")"
            return "\(what) writes into an object of kind \(es.manifest?.description ?? "") (spec.target.manifest), but \(why): the operator writes no such object, and no answer counts one"
        }
    }
}
