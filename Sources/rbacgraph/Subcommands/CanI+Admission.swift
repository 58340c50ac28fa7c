import ArgumentParser
import RBACCore
import RBACLoading

// `can-i` for RBAC writes: the API server's admission check on top of authorization.
//   rbacgraph can-i create rolebinding NAME -n NS --clusterrole admin --as …   (or --role)
//   rbacgraph can-i apply --object binding.yaml --as …

extension RBACGraphCommand.CanI {
    /// Whether this invocation asks about writing a binding (`--role`/`--clusterrole`) or
    /// applying objects (`--object`).
    var isAdmissionQuestion: Bool { !objects.isEmpty || roleRefName != nil }

    /// `--clusterrole NAME` or `--role NAME`, with its kind.
    var roleRefName: (kind: String, name: String)? {
        if let c = clusterRoleRef { return ("ClusterRole", c) }
        if let r = roleRef { return ("Role", r) }
        return nil
    }

    func validateAdmission() throws {
        if list { throw ValidationError("--list can't be given --object, --role or --clusterrole.") }
        if clusterRoleRef != nil && roleRef != nil { throw ValidationError("Give --clusterrole or --role, not both.") }
        if !objects.isEmpty {
            if roleRefName != nil { throw ValidationError("--object takes its roleRef from the file: no --role or --clusterrole.") }
            guard words == ["apply"] else { throw ValidationError("With --object, give the verb apply only: can-i apply --object FILE.") }
            return
        }
        guard (2...3).contains(words.count), Admission.WriteVerb(rawValue: words[0]) != nil else {
            throw ValidationError("--role and --clusterrole go with create, update or patch rolebinding[s]/clusterrolebinding[s] [NAME].")
        }
        let resource = try bindingResource()
        if resource == "clusterrolebindings" && roleRef != nil {
            throw ValidationError("A ClusterRoleBinding can only refer to a ClusterRole: use --clusterrole.")
        }
        if resource == "clusterrolebindings" && namespace != nil {
            throw ValidationError("ClusterRoleBindings are cluster-scoped: no -n.")
        }
    }

    /// `rolebindings` or `clusterrolebindings`, from the words as kubectl takes them.
    func bindingResource() throws -> String {
        let target = words[1].split(separator: "/", maxSplits: 1).first.map(String.init) ?? words[1]
        let resolved = APIResource.resolve(target, apiGroup: apiGroup)
        guard resolved.apiGroup == Admission.rbacGroup,
            resolved.resource == "rolebindings" || resolved.resource == "clusterrolebindings"
        else {
            throw ValidationError("--role and --clusterrole check a binding: the resource must be rolebinding(s) or clusterrolebinding(s), not \(words[1]).")
        }
        return resolved.resource
    }

    /// The binding's name: `TYPE/NAME` or `TYPE NAME`.
    var bindingName: String? {
        if words.count > 2 { return words[2] }
        let parts = words[1].split(separator: "/", maxSplits: 1)
        return parts.count == 2 ? String(parts[1]) : nil
    }

    func runAdmission(_ graph: AccessGraph) throws {
        let identity = try identity()
        if !objects.isEmpty { return try runApply(graph, identity: identity) }
        let resource = try bindingResource()
        let verb = Admission.WriteVerb(rawValue: words[0])!
        guard let ref = roleRefName else { return }
        let name = bindingName ?? ""
        if verb != .create && name.isEmpty {
            throw ValidationError("\(verb.rawValue) needs the binding's name: \(verb.rawValue) \(resource)/NAME.")
        }
        let binding: Binding
        if resource == "clusterrolebindings" {
            binding = Binding(kind: .clusterRoleBinding, name: name, roleRef: RoleRef(kind: ref.kind, name: ref.name), subjects: [])
        } else {
            binding = Binding(kind: .roleBinding, name: name, namespace: namespace ?? input.defaultNamespace,
                              roleRef: RoleRef(kind: ref.kind, name: ref.name), subjects: [])
        }
        let existing = graph.binding(sameAs: binding)
        if verb != .create && existing == nil && !input.quiet {
            Terminal.warn("no \(binding.kind.rawValue) named \"\(name)\" in the input: checked as if it exists")
        }
        let verdict = graph.admission(of: .binding(binding), by: identity, verb: verb, existing: existing.map { .binding($0) })
        try outputOptions.redirectText()
        switch output {
        case .table:
            let color = Terminal.colorStdout
            print(verdict.allowed ? Terminal.paint("yes", "1;32", color: color) : Terminal.paint("no", "1;31", color: color))
            if !input.quiet { for r in verdict.reasons(listingAtMost: 8) { print("  \(r)") } }
        default:
            output.emit(.object([
                ("identity", .object([("user", .string(identity.name)), ("groups", .array(identity.groups.map { .string($0) }))])),
                ("check", Self.verdictJSON(verdict)),
                ("allowed", .bool(verdict.allowed)),
            ]))
        }
        if !verdict.allowed { throw ExitCode(ExitCodes.no) }
    }

    /// `can-i apply --object FILE…`: each object as `kubectl apply` would write it.
    private func runApply(_ graph: AccessGraph, identity: Identity) throws {
        var options = ManifestLoader.Options()
        options.defaultNamespace = namespace ?? input.defaultNamespace
        options.strict = input.strict
        let loaded: ManifestLoader.Result
        do {
            loaded = try ManifestLoader(options: options).load(paths: objects)
        } catch {
            if case .strict(let d) = error { DiagnosticPrinter.print(d) }
            throw ExitCode(ExitCodes.loadErrors)
        }
        for d in loaded.diagnostics where d.severity == .error || !input.quiet { DiagnosticPrinter.print(d) }
        let checks = graph.applyChecks(of: loaded.cluster, by: identity)
        let skipped = loaded.statistics.skippedKinds.sorted { $0.key < $1.key }
        if !skipped.isEmpty && !input.quiet {
            Terminal.warn("not checked (rbacgraph does not read these kinds): "
                + skipped.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        if checks.isEmpty && !input.quiet { Terminal.warn("no object to check in \(objects.joined(separator: ", "))") }
        try outputOptions.redirectText()
        switch output {
        case .table:
            let color = Terminal.colorStdout
            var table = Table(["OBJECT", "ACTION", "ALLOWED", "WHY"])
            for c in checks {
                let action = c.exists ? "patch" : "create"
                let allowed = c.allowed ? Terminal.paint("yes", "32", color: color) : Terminal.paint("no", "31", color: color)
                let why: [String]
                switch c.outcome {
                case .admission(let v):
                    why = v.allowed ? [v.escalation.reason] : v.reasons(listingAtMost: 4).filter { $0.contains("forbidden") || $0.hasPrefix("roleRef") }
                case .authorization(let r, let d): why = [d.allowed ? d.reason : "no RBAC rule allows \(r)"]
                }
                table.add([c.displayName, action, allowed, why.first ?? ""])
                for extra in why.dropFirst() { table.add(["", "", "", extra]) }
            }
            print(table.render(color: color), terminator: "")
        default:
            let items: [JSONValue] = checks.map { c in
                var pairs: [(String, JSONValue)] = [
                    ("kind", .string(c.kind)), ("name", .string(c.name)),
                ]
                if let ns = c.namespace { pairs.append(("namespace", .string(ns))) }
                if let s = c.source { pairs.append(("source", .string(s.description))) }
                pairs.append(("action", .string(c.exists ? "patch" : "create")))
                pairs.append(("allowed", .bool(c.allowed)))
                switch c.outcome {
                case .admission(let v): pairs.append(("check", Self.verdictJSON(v)))
                case .authorization(let r, let d):
                    pairs.append(("request", JSONForms.request(.resource(r))))
                    pairs.append(("reason", .string(d.reason)))
                }
                return .object(pairs)
            }
            var pairs: [(String, JSONValue)] = [
                ("identity", .object([("user", .string(identity.name)), ("groups", .array(identity.groups.map { .string($0) }))])),
                ("objects", .array(items)), ("allowed", .bool(checks.allSatisfy { $0.allowed })),
            ]
            if !skipped.isEmpty {
                pairs.append(("notChecked", .object(skipped.map { ($0.key, .number(Double($0.value))) })))
            }
            output.emit(.object(pairs))
        }
        if loaded.hasErrors { throw ExitCode(ExitCodes.loadErrors) }
        if !checks.allSatisfy({ $0.allowed }) { throw ExitCode(ExitCodes.no) }
    }

    /// An admission verdict as JSON: the object, the verb, the write's authorization, the
    /// escalation check and the reasons.
    static func verdictJSON(_ v: Admission.Verdict) -> JSONValue {
        var object: [(String, JSONValue)] = [("kind", .string(v.object.kind)), ("name", .string(v.object.name))]
        if let ns = v.object.namespace { object.append(("namespace", .string(ns))) }
        return .object([
            ("object", .object(object)),
            ("verb", .string(v.verb.rawValue)),
            ("write", .object([
                ("request", JSONForms.request(.resource(v.writeRequest))), ("allowed", .bool(v.write.allowed)),
                ("reason", .string(v.write.reason)),
            ])),
            ("escalationCheck", .object(escalationPairs(v.escalation))),
            ("roleRefChanged", .bool(v.roleRefChange != nil)),
            ("allowed", .bool(v.allowed)),
            ("reasons", .array(v.reasons.map { .string($0) })),
        ])
    }

    /// The escalation check: passed, its reason, and the permissions not held (compacted).
    private static func escalationPairs(_ e: Admission.EscalationCheck) -> [(String, JSONValue)] {
        var pairs: [(String, JSONValue)] = [("passed", .bool(e.passed)), ("reason", .string(e.reason))]
        let missing: [PolicyRule]
        switch e {
        case .rulesNotHeld(let m, _, _), .aggregationNeedsFullAuthority(let m): missing = m
        default: missing = []
        }
        if !missing.isEmpty {
            pairs.append(("notHeld", .array(CompactPermission.compact(missing).map { c in
                var p: [(String, JSONValue)] = [
                    (c.isNonResourceURL ? "nonResourceURL" : "resource", .string(c.resource)),
                    ("verbs", .array(c.verbs.map { .string($0) })),
                ]
                if !c.resourceNames.isEmpty { p.append(("resourceNames", .array(c.resourceNames.map { .string($0) }))) }
                return .object(p)
            })))
        }
        return pairs
    }

    /// For a plain `can-i create rolebindings` (or roles): authorization is only half of what
    /// the API server checks. Said when the answer is yes, so it is not read as the whole story.
    func admissionNote(for request: Request, allowed: Bool) -> String? {
        guard allowed, case .resource(let r) = request, r.apiGroup == Admission.rbacGroup,
            ["create", "update", "patch"].contains(r.verb)
        else { return nil }
        switch r.resource {
        case "rolebindings", "clusterrolebindings":
            return "the API server also checks the binding's role: bind on it, or holding all its rules; add --clusterrole NAME or --role NAME to check that too"
        case "roles", "clusterroles":
            return "the API server also checks the role's rules: escalate, or holding them all; use can-i apply --object FILE to check a role"
        default:
            return nil
        }
    }
}
