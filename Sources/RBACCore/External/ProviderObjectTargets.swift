// An object a Secrets Store CSI provider other than Vault mounts (`aws:NAME`, `azure:NAME`,
// `gcp:NAME`), as a query target: `secrets --external` prints it, `who-can read`, `paths --to`
// and `eval` read it back. Who mounts it is decided by Kubernetes (creating pods in the class's
// namespace); what the pod's cloud identity may read is not in the input, so every route ends
// on a condition not shown.

/// An object a SecretProviderClass of a provider other than Vault names: `PROVIDER:OBJECT`
/// (`aws:arn:aws:secretsmanager:…`, `azure:db-password`, `gcp:projects/p/secrets/s/versions/1`),
/// the provider as the class's `spec.provider` writes it. A Vault class's objects are
/// `vault:` targets (``VaultTarget``).
public struct ProviderObjectTarget: Hashable, Sendable, CustomStringConvertible {
    /// `spec.provider` of the class: `aws`, `azure`, `gcp`, …
    public var provider: String
    /// The object as the class names it (AWS and Azure `objectName`, GCP `resourceName`).
    public var object: String

    public init(provider: String, object: String) {
        self.provider = provider
        self.object = object
    }

    /// Parses `PROVIDER:OBJECT`: a provider word of lower-case letters, digits and `-` other
    /// than `vault`, then a non-empty object; `nil` otherwise. Whether the input has such an
    /// object is ``ExternalInventory/providerClasses(naming:)``'s to say: other targets
    /// (`secret:`, `sa:`, `user:`, `group:`) have this shape too and are read first.
    public static func parse(_ text: String) -> ProviderObjectTarget? {
        guard let colon = text.firstIndex(of: ":") else { return nil }
        let provider = text[..<colon], object = text[text.index(after: colon)...]
        guard !provider.isEmpty, !object.isEmpty, provider != "vault",
            provider.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D })
        else { return nil }
        return ProviderObjectTarget(provider: String(provider), object: String(object))
    }

    /// `PROVIDER:OBJECT`: the form ``parse(_:)`` reads.
    public var description: String { "\(provider):\(object)" }
}

extension ExternalInventory {
    /// The SecretProviderClasses that name the object (provider and object byte for byte);
    /// none when the target is no CSI object of the input.
    public func providerClasses(naming target: ProviderObjectTarget) -> [SecretProviderClass] {
        providerClasses.filter { c in
            c.provider.isExactly(target.provider) && c.objects.contains { $0.isExactly(target.object) }
        }
    }
}

extension EscalationGraph {
    /// Every route to reading a CSI object: creating a pod in the namespace of a class that
    /// names it, which mounts the class (the pod may run as any service account there); the
    /// provider reads the object with the pod's cloud identity, whose permissions the input
    /// does not hold, so the step rests on a condition not shown.
    func providerObjectRoutes(to target: ProviderObjectTarget) -> [VaultRoute] {
        access.external.providerClasses(naming: target).map { spc in
            let step = ExternalStep(
                kind: .csiMount, to: target.description, namespace: spc.namespace,
                why: "a pod of \(spc.namespace) mounting SecretProviderClass \(spc.namespace)/\(spc.name): the \(spc.provider) provider reads \(target.object) with the pod's service account's \(spc.provider) identity",
                evidence: ["SecretProviderClass \(spc.namespace)/\(spc.name)\(Self.location(spc.source))"],
                condition: PathCondition(
                    "the \(spc.provider) identity of the pod's service account may read \(target.object) (rbacgraph does not read \(spc.provider) permissions)",
                    observed: nil))
            let request = Request.resource(ResourceRequest(verb: "create", apiGroup: "", resource: "pods", namespace: spc.namespace))
            return VaultRoute(target: .permission(request), external: [step], vaultPath: "", access: nil, reader: .steps([step], access: nil), end: target.description)
        }
    }

    /// Privilege paths from `start` to reading a CSI object (``providerObjectRoutes(to:)``):
    /// the cheapest, or with `all` every route's paths, best first (at most `limit`).
    public func providerObjectPaths(from start: PathNode, to target: ProviderObjectTarget, maxSteps: Int = 8, all: Bool = false, limit: Int = 100) -> [VaultPath] {
        externalPaths(from: start, routes: providerObjectRoutes(to: target), maxSteps: maxSteps, all: all, limit: limit)
    }

    /// Who may read a CSI object: whoever may create pods where a class names it (with
    /// `effective`, also by a privilege path), each once with its cheapest route; every
    /// answer is conditional on the provider identity's permissions, which the input lacks.
    public func providerObjectReaders(of target: ProviderObjectTarget, effective: Bool, maxSteps: Int = 8) -> [VaultPath] {
        providerObjectReaders(of: target, effective: effective, maxSteps: maxSteps, context: nil)
    }

    /// ``providerObjectReaders(of:effective:maxSteps:)`` sharing `context` with other targets.
    func providerObjectReaders(of target: ProviderObjectTarget, effective: Bool, maxSteps: Int, context: BeyondContext?) -> [VaultPath] {
        readers(along: providerObjectRoutes(to: target), effective: effective, maxSteps: maxSteps, context: context)
    }
}
