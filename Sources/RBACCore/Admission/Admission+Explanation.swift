extension Admission.Verdict {
    /// Why the write is admitted or refused, one line per check, in the order the API server
    /// runs them: the write's authorization, the roleRef immutability of an update, then the
    /// escalation check. Refusals use the API server's own words where it has them.
    public var reasons: [String] { reasons(listingAtMost: nil) }

    /// ``reasons``, with at most `limit` permissions not held listed (and how many more).
    public func reasons(listingAtMost limit: Int?) -> [String] {
        var out: [String] = []
        let request = writeRequest
        let scope = request.namespace.isEmpty ? "at the cluster scope" : "in the namespace \"\(request.namespace)\""
        if write.allowed {
            out.append("\(verb.rawValue) \(request.resource): \(write.reason)")
        } else {
            out.append(
                "\(verb.rawValue) \(request.resource): forbidden: cannot \(verb.rawValue) resource \"\(request.resource)\" "
                    + "in API group \"\(request.apiGroup)\" \(scope)" + (write.reason.isEmpty ? "" : " (\(write.reason))"))
        }
        if let change = roleRefChange {
            out.append(
                "roleRef: cannot change roleRef (from \(change.old.kind) \"\(change.old.name)\" to \(change.new.kind) \"\(change.new.name)\"): "
                    + "delete the binding and create it again")
        }
        out.append(escalation.reason(listingAtMost: limit))
        return out
    }
}

extension Admission.EscalationCheck {
    /// The escalation check in one line.
    public var reason: String { reason(listingAtMost: nil) }

    /// The escalation check in one line, with at most `limit` permissions not held listed.
    public func reason(listingAtMost limit: Int?) -> String {
        switch self {
        case .systemMasters:
            return "escalation check: skipped for group \"system:masters\""
        case .bindAllowed(let request, let decision):
            return "escalation check: may bind \(request.resource) \"\(request.name)\" "
                + (request.namespace.isEmpty ? "cluster-wide" : "in \(request.namespace)") + " (\(decision.reason))"
        case .escalateAllowed(let request, let decision):
            return "escalation check: may escalate \(request.resource)"
                + (request.name.isEmpty ? "" : " \"\(request.name)\"")
                + (request.namespace.isEmpty ? " cluster-wide" : " in \(request.namespace)") + " (\(decision.reason))"
        case .rulesHeld(let count):
            return "escalation check: already holds every rule granted (\(count) rule\(count == 1 ? "" : "s"))"
        case .roleNotFound(let ref, let bind):
            let what = ref.kind == "ClusterRole" ? "clusterroles" : "roles"
            var s = "escalation check: forbidden: \(what).rbac.authorization.k8s.io \"\(ref.name)\" not found"
            if let bind { s += "; and no permission to bind it (\(bind.description))" }
            return s
        case .unsupportedRoleRefKind(let kind):
            return "escalation check: forbidden: unsupported role reference kind: \"\(kind)\""
        case .rulesNotHeld(let missing, let asked, let errors):
            let all = CompactPermission.compact(missing).map(\.summary)
            let shown = limit.map { Array(all.prefix($0)) } ?? all
            var s = "escalation check: forbidden: attempting to grant RBAC permissions not currently held: "
                + shown.joined(separator: "; ")
            if shown.count < all.count { s += "; and \(all.count - shown.count) more" }
            if let asked { s += "; and no permission to \(asked.verb) (\(asked.description))" }
            if !errors.isEmpty { s += "; resolution errors: " + errors.joined(separator: ", ") }
            return s
        case .aggregationNeedsFullAuthority:
            return "escalation check: forbidden: must have cluster-admin privileges to use the aggregationRule"
        }
    }
}

extension CompactPermission {
    /// `get,list secrets`, `get secrets [db]`, `get non-resource /healthz`: verbs, then the
    /// resource (as `resource.group`) or URL, then resourceNames.
    public var summary: String {
        verbs.joined(separator: ",") + (isNonResourceURL ? " non-resource " : " ") + resource
            + (resourceNames.isEmpty ? "" : " [" + resourceNames.joined(separator: ",") + "]")
    }
}
