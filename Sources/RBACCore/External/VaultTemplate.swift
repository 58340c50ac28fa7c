/// Vault's ACL path templates (`{{identity.entity.aliases.ACCESSOR.metadata.KEY}}`, …),
/// resolved for a service account that logs in through a Kubernetes auth role.
///
/// Resolvable from the input: an alias of the role's own mount (when its accessor is known,
/// from `sys/auth.json`): `metadata.service_account_name`, `metadata.service_account_namespace`,
/// and `name` when the role's `alias_name_source` is `serviceaccount_name` (`NS/NAME`).
/// Everything else (entity ids and names, group ids, the service account's UID, other
/// mounts' aliases) is Vault's own state: the rule is reported unresolved, never dropped.
public enum VaultTemplate {
    /// What a login's identity is known to hold.
    public struct Identity: Sendable {
        public var serviceAccount: ServiceAccountName
        public var role: VaultRole
        /// The accessor of the role's mount, when `sys/auth.json` gave it.
        public var accessor: String?

        public init(serviceAccount: ServiceAccountName, role: VaultRole, accessor: String?) {
            self.serviceAccount = serviceAccount
            self.role = role
            self.accessor = accessor
        }
    }

    /// Why a template could not be resolved.
    public struct Problem: Error, Sendable, Hashable {
        public var message: String
    }

    /// `path` with every template replaced, or the first one that cannot be.
    public static func resolve(_ path: String, for identity: Identity) -> Result<String, Problem> {
        var out = ""
        var rest = Substring(path)
        while let open = rest.firstRange(of: "{{") {
            out += rest[..<open.lowerBound]
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                return .failure(Problem(message: "unterminated template"))
            }
            let expr = rest[open.upperBound..<close.lowerBound].trimmingSpaces()
            switch value(of: expr, for: identity) {
            case .success(let v): out += v
            case .failure(let p): return .failure(p)
            }
            rest = rest[close.upperBound...]
        }
        out += rest
        return .success(out)
    }

    private static func value(of expr: Substring, for identity: Identity) -> Result<String, Problem> {
        let parts = expr.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        let sa = identity.serviceAccount
        guard parts.count >= 2, parts[0] == "identity" else {
            return .failure(Problem(message: "{{\(expr)}} is no identity template"))
        }
        // identity.entity.aliases.<accessor>.<field…>
        if parts.count >= 5, parts[1] == "entity", parts[2] == "aliases" {
            let accessor = parts[3]
            guard let own = identity.accessor else {
                return .failure(Problem(message: "{{\(expr)}}: the accessor of auth/\(identity.role.mount) is unknown (add sys/auth.json from `vault auth list -format=json`)"))
            }
            guard accessor.isExactly(own) else {
                return .failure(Problem(message: "{{\(expr)}}: an alias of another auth mount (\(accessor)), not of auth/\(identity.role.mount)"))
            }
            let field = parts[4...].joined(separator: ".")
            switch field {
            case "metadata.service_account_name": return .success(sa.name)
            case "metadata.service_account_namespace": return .success(sa.namespace)
            case "name":
                if identity.role.aliasNameSource == "serviceaccount_name" { return .success("\(sa.namespace)/\(sa.name)") }
                return .failure(Problem(message: "{{\(expr)}}: the alias name is the service account's UID (alias_name_source \(identity.role.aliasNameSource)), not in the input"))
            default:
                return .failure(Problem(message: "{{\(expr)}}: not known from the input"))
            }
        }
        return .failure(Problem(message: "{{\(expr)}}: Vault identity data, not in the input"))
    }

    /// Whether a templated rule could match `path` for some value of its templates (each
    /// stands for any text, `+` for any segment, a trailing `*` for any suffix).
    public static func mayMatch(rulePath: String, path: String) -> Bool {
        VaultGlob.matches(glob(rulePath: rulePath), path)
    }

    /// A templated rule as a ``VaultGlob`` pattern: each template, `+` segment and trailing
    /// `*` any text (an unclosed template: anything).
    static func glob(rulePath: String) -> String {
        var pattern = ""
        var rest = Substring(rulePath)
        while let open = rest.firstRange(of: "{{") {
            pattern += rest[..<open.lowerBound]
            pattern += "*"
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else { return "*" }
            rest = rest[close.upperBound...]
        }
        pattern += rest
        let segments = pattern.split(separator: "/", omittingEmptySubsequences: false).map { $0 == "+" ? "*" : String($0) }
        return segments.joined(separator: "/")
    }
}

extension Substring {
    func trimmingSpaces() -> Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
