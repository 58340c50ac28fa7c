import ArgumentParser
import RBACCore

extension RBACGraphCommand {
    /// `rbacgraph can-i VERB RESOURCE [NAME] --as USER | --sa NS/NAME`, and `can-i --list`.
    struct CanI: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "can-i",
            abstract: "Check whether an identity may make a request (exit 0 yes, 1 no), or list its rules with --list.",
            discussion: """
                As `kubectl auth can-i`: members of system:masters may do everything; otherwise \
                RBAC decides, and the answer names the binding, role and rule that allow it.

                Examples:
                  rbacgraph can-i get secrets -n prod --sa prod/api -f cluster.yaml
                  rbacgraph can-i create pods --as alice --as-group devs -n dev -f manifests/
                  rbacgraph can-i --list --sa kube-system/default -n kube-system -f cluster.yaml

                --list prints kubectl's table (RESOURCES, NON-RESOURCE URLS, RESOURCE NAMES, \
                VERBS) and the roles each row comes FROM; -o wide adds THROUGH, the bindings; \
                --no-headers prints the rows only.

                Writing RBAC objects: the API server also runs its escalation check (bind on the \
                role, escalate, or holding every rule granted). These check both:
                  rbacgraph can-i create rolebinding ops -n dev --clusterrole admin --as alice -f manifests/
                  rbacgraph can-i apply --object pr/binding.yaml --sa ci/deployer -f manifests/
                """)

        @OptionGroup var input: InputOptions

        @OptionGroup var outputOptions: OutputOptions<WideTextFormats>
        @OptionGroup var tableOptions: TableOptions

        var output: OutputFormat { outputOptions.format }
        var outputFile: String? { outputOptions.outputFile }

        @Argument(help: ArgumentHelp(
            "VERB TYPE[/NAME] as kubectl takes them (also VERB TYPE NAME, VERB /path, and secret:NS/NAME, sa:NS/NAME, user:NAME, group:NAME as TYPE/NAME); not with --list.",
            valueName: "verb-and-resource"))
        var words: [String] = []

        @Option(name: .shortAndLong, help: "The namespace of the request.")
        var namespace: String?

        @Flag(name: [.customShort("A"), .customLong("all-namespaces")], help: "As kubectl: the request with no namespace, i.e. cluster-wide (only ClusterRoleBindings count). Not who-can's -A.")
        var allNamespaces = false

        @Option(help: ArgumentHelp("The API group of the resource, instead of the built-in table's.", valueName: "group"))
        var apiGroup: String?

        @Option(help: "A subresource: pods --subresource exec (kubectl reads pods/exec as the pod named \"exec\").")
        var subresource: String?

        @Option(name: .customLong("as"), help: ArgumentHelp(
            "Who asks: a user name as kubectl's --as takes it (system:authenticated is added, as the API server does), or user:NAME, group:NAME, sa:NAMESPACE/NAME.",
            valueName: "identity"))
        var user: String?

        @Option(name: .customLong("as-group"), help: ArgumentHelp("A group of the user (repeatable).", valueName: "group"))
        var groups: [String] = []

        @Option(name: .customLong("sa"), help: ArgumentHelp("A service account, as NAMESPACE/NAME (the same as --as sa:NAMESPACE/NAME).", valueName: "ns/name"))
        var serviceAccount: String?

        @Flag(help: "List the rules that apply to the identity in the namespace.")
        var list = false

        @Option(help: ArgumentHelp(
            "With --list, instead of --as/--sa: every identity of the input matching a pattern (sa:kube-system/*, user:*, group:system:*), each listed in turn.",
            valueName: "pattern"))
        var subject: String?

        @Option(name: .customLong("clusterrole"), help: ArgumentHelp(
            "With create|update|patch rolebinding[s]|clusterrolebinding[s] [NAME]: the ClusterRole the binding refers to; runs the API server's bind/escalation check too.",
            valueName: "name"))
        var clusterRoleRef: String?

        @Option(name: .customLong("role"), help: ArgumentHelp(
            "With create|update|patch rolebinding[s] [NAME]: the Role (of the binding's namespace) it refers to.", valueName: "name"))
        var roleRef: String?

        @Option(name: .customLong("object"), help: ArgumentHelp(
            "With apply: a manifest file (repeatable) whose objects the identity would apply: patch where the input has the object, create otherwise; bindings and roles get the API server's escalation check.",
            valueName: "file"))
        var objects: [String] = []

        func validate() throws {
            if let subject {
                if !list { throw ValidationError("--subject goes with --list (for one identity, give --as or --sa).") }
                if user != nil || serviceAccount != nil || !groups.isEmpty { throw ValidationError("Give --subject or --as/--sa, not both.") }
                do { _ = try IdentityPattern(subject) } catch { throw ValidationError(error.message) }
            } else if (user == nil) == (serviceAccount == nil) {
                throw ValidationError("Give exactly one of --as IDENTITY or --sa NAMESPACE/NAME.")
            }
            if tableOptions.noHeaders && !list { throw ValidationError("--no-headers cannot be set without --list specified.") }
            try tableOptions.check(output)
            if output == .wide && !list { throw ValidationError("-o wide goes with --list (its table gets a THROUGH column: the bindings); a single answer is -o table, json or yaml.") }
            if serviceAccount != nil && !groups.isEmpty { throw ValidationError("--as-group goes with --as, not --sa.") }
            if let sa = serviceAccount, !IdentityNotation.isValid("sa:" + sa) { throw ValidationError("--sa takes NAMESPACE/NAME.") }
            if subject == nil {
                do { _ = try identity() } catch let e as IdentityNotation.ParseError { throw ValidationError(e.message) }
            }
            if allNamespaces && namespace != nil { throw ValidationError("Give -n or -A, not both.") }
            if isAdmissionQuestion { return try validateAdmission() }
            if list {
                if !words.isEmpty { throw ValidationError("--list takes no VERB RESOURCE.") }
                if allNamespaces || subresource != nil { throw ValidationError("--list can't be given -A or --subresource (as kubectl).") }
                return
            }
            guard (2...3).contains(words.count) else { throw ValidationError("Give VERB TYPE[/NAME] (or VERB TYPE NAME), or --list.") }
            do { _ = try requestWords.parse() } catch { throw ValidationError(error.message) }
        }

        /// The identity as the API server would see it.
        func identity() throws -> Identity {
            if let sa = serviceAccount { return try Identity.impersonating("sa:" + sa) }
            return try Identity.impersonating(user ?? "", groups: groups)
        }

        /// How to name the identity in a sentence: as given.
        var identityText: String { serviceAccount.map { "sa:" + $0 } ?? user ?? "" }

        var requestWords: RequestWords {
            RequestWords(
                verb: words[0], target: words[1], name: words.count > 2 ? words[2] : nil, namespace: namespace,
                clusterWide: allNamespaces, apiGroup: apiGroup, subresource: subresource)
        }

        func run() throws {
            let loaded = try input.load()
            let graph = loaded.graph
            if isAdmissionQuestion {
                try runAdmission(graph)
            } else if list {
                try runList(graph, loaded: loaded)
            } else {
                let allowed = try runCheck(graph, resources: loaded.resources, refusals: loaded.result.refusals, notRead: loaded.notRead)
                // RBAC only adds: a "yes" from what was read stands, even when some of a
                // cluster could not be read; a "no" on incomplete input is not a "no" (exit 3).
                if loaded.cluster != nil {
                    if allowed { return }
                    if loaded.incomplete(rbacOnly: true) { throw ExitCode(ExitCodes.loadErrors) }
                }
                if !allowed { throw ExitCode(ExitCodes.no) }
            }
            if loaded.incomplete(rbacOnly: true) { throw ExitCode(ExitCodes.loadErrors) }
        }

        /// Prints the decision. - Returns: whether the request is allowed.
        private func runCheck(
            _ graph: AccessGraph, resources: [APIResource], refusals: [APIServerValidation.Refusal], notRead: [String]
        ) throws -> Bool {
            var words = requestWords
            words.resources = resources
            let parsed = try words.parse()
            if !input.quiet { parsed.warnings.forEach(Terminal.warn) }
            let req = parsed.request
            let identity = try identity()
            InputWarnings.serviceAccount(of: identity, in: graph, quiet: input.quiet)
            InputWarnings.namespace(namespace, in: graph, quiet: input.quiet)
            let d = graph.authorize(identity, req)
            try outputOptions.redirectText()
            switch output {
            case .table:
                let color = Terminal.colorStdout
                print(d.allowed ? Terminal.paint("yes", "1;32", color: color) : Terminal.paint("no", "1;31", color: color))
                if !input.quiet {
                    if let g = d.grant {
                        print("  \(graph.reason(for: g))")
                        print("  rule \(g.ruleIndex): \(graph.roles[g.role].rules[g.ruleIndex].summary)")
                        if graph.isBuiltInOnly(g) { print("  built-in: the API server's default policy grants this, not the input") }
                    } else if d.allowed {
                        print("  \(d.reason)")
                    } else {
                        print("  no RBAC rule allows \(identity.name.isEmpty ? identityText + " \(identity)" : "\(identity)") to \(req)")
                        if !d.reason.isEmpty { print("  \(d.reason)") }
                    }
                    if let note = admissionNote(for: req, allowed: d.allowed) { print("  note: \(note)") }
                }
                // A "yes" stands on what was read; a "no" may not.
                if !notRead.isEmpty && !d.allowed {
                    print("  not read from the cluster (the answer may be yes): " + notRead.joined(separator: "; "))
                }
            default:
                var pairs: [(String, JSONValue)] = [
                    ("identity", .object([("user", .string(identity.name)), ("groups", .array(identity.groups.map { .string($0) }))])),
                    ("request", JSONForms.request(req)), ("allowed", .bool(d.allowed)), ("reason", .string(d.reason)),
                ]
                if let g = d.grant { pairs.append(("grant", graph.json(g))) }
                if !d.errors.isEmpty { pairs.append(("errors", .array(d.errors.map { .string($0) }))) }
                if !notRead.isEmpty { pairs.append(("notRead", .array(notRead.map { .string($0) }))) }
                output.emit(.object(pairs))
            }
            let granting = d.grant.map { Set([graph.bindings[$0.binding].displayName, graph.roles[$0.role].displayName]) } ?? []
            RefusalNotes.warn(refusals, request: req, granting: granting, quiet: input.quiet)
            return d.allowed
        }

        private func runList(_ graph: AccessGraph, loaded: InputOptions.Loaded) throws {
            let ns = namespace ?? "default"
            InputWarnings.namespace(namespace, in: graph, quiet: input.quiet)
            // One identity (--as/--sa), or every identity matching --subject.
            var identities: [(text: String, identity: Identity)] = []
            if let subject {
                let pattern = try IdentityPattern(subject)
                for text in pattern.matches(in: graph) { identities.append((text, try Identity.impersonating(text))) }
                if identities.isEmpty && !input.quiet { Terminal.warn("--subject \(subject) matches no identity of the input") }
            } else {
                let id = try identity()
                InputWarnings.serviceAccount(of: id, in: graph, quiet: input.quiet)
                identities = [(identityText, id)]
            }
            try outputOptions.redirectText()
            var items: [JSONValue] = []
            for (k, entry) in identities.enumerated() {
                let id = entry.identity
                let (rules, errors) = graph.rules(for: id, in: ns)
                switch output {
                case .table, .wide:
                    let wide = output == .wide
                    let rows = CompactRules(rules, graph: graph, wide: wide)
                    var table = Table(["RESOURCES", "NON-RESOURCE URLS", "RESOURCE NAMES", "VERBS", "FROM"] + (wide ? ["THROUGH"] : []))
                    for r in rows.rows { table.add(r) }
                    if subject != nil && !tableOptions.noHeaders {
                        if k > 0 { print() }
                        print(Terminal.paint("\(entry.text):", "1", color: Terminal.colorStdout))
                    }
                    if id.isMaster && !input.quiet && !tableOptions.noHeaders {
                        print("\(id.name) is in system:masters: the API server allows it everything; RBAC grants:")
                    }
                    print(table.render(color: Terminal.colorStdout, headers: !tableOptions.noHeaders), terminator: "")
                default:
                    let ruleItems: [JSONValue] = rules.map { rg in
                        .object([("rule", rg.rule.json), ("grant", graph.json(rg.grant))])
                    }
                    var pairs: [(String, JSONValue)] = [
                        ("identity", .object([("user", .string(id.name)), ("groups", .array(id.groups.map { .string($0) }))])),
                        ("namespace", .string(ns)), ("rules", .array(ruleItems)),
                    ]
                    if subject != nil { pairs.insert(("subject", .string(entry.text)), at: 0) }
                    if !errors.isEmpty { pairs.append(("evaluationError", .string(errors.joined(separator: ", ")))) }
                    items.append(.object(pairs))
                }
                if !errors.isEmpty && !input.quiet {
                    Terminal.warn("while resolving the bindings of \(entry.text): " + errors.joined(separator: ", "))
                }
            }
            if !output.isTable {
                // One identity: its object, as before; a pattern: every match, in order.
                if subject == nil, case .object(let pairs)? = items.first {
                    output.emit(.object(pairs + loaded.notReadFields))
                } else {
                    output.emit(.object([("subject", .string(subject ?? "")), ("namespace", .string(ns)), ("identities", .array(items))] + loaded.notReadFields))
                }
            } else if let footer = loaded.notReadLines(heading: "not read from the cluster (the list may be short)") {
                print(footer)
            }
        }
    }
}

/// The `kubectl auth can-i --list` view: one row per resource (as `resource.group`) and
/// resource names, verbs merged; one row per non-resource URL. `wide` adds the bindings.
struct CompactRules {
    var rows: [[String]]

    init(_ rules: [RuleGrant], graph: AccessGraph, wide: Bool = false) {
        // kubectl's columns: resources, non-resource URLs, resource names, verbs (sorted by
        // resource, then URL, then names, as shown; URLs after resources).
        let rows = CompactPermission.compact(rules).map { e in
            [
                e.isNonResourceURL ? "" : e.resource, e.isNonResourceURL ? "[\(e.resource)]" : "[]",
                "[" + e.resourceNames.joined(separator: " ") + "]", "[" + e.verbs.joined(separator: " ") + "]",
                e.roles.map { graph.roles[$0].displayName }.joined(separator: ", "),
            ] + (wide ? [e.bindings.map { graph.bindings[$0].displayName }.joined(separator: ", ")] : [])
        }
        self.rows = rows.sorted { a, b in (a[0].isEmpty ? 1 : 0, a[0], a[1], a[2]) < (b[0].isEmpty ? 1 : 0, b[0], b[1], b[2]) }
    }
}
