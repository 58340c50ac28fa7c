import RBACCore

/// Renders privilege paths for people: detailed blocks (`paths`), one-line chains (the tables
/// of `escalations`, `secrets`, `who-can --effective`), and the shared ranking.
struct PathPrinter {
    let esc: EscalationGraph
    let color: Bool

    init(_ esc: EscalationGraph, color: Bool = Terminal.colorStdout) {
        self.esc = esc
        self.color = color
    }

    func paint(_ s: String, _ code: String) -> String { Terminal.paint(s, code, color: color) }

    // MARK: Names

    /// A node, short: `sa:prod/api`, `run-pods:dev`, `secret:prod/*`, `holder:ClusterRole/view@dev`.
    func name(_ i: NodeID) -> String { esc.notation(i) }

    /// A node, for people: identities by name, others described (`run pods in dev`).
    func describe(_ i: NodeID) -> String {
        esc.nodes[i].isIdentity ? esc.nodes[i].description : esc.describe(i)
    }

    // MARK: Certainty

    /// The certainty label, colored by danger: certain red, conditional yellow, ruled out green.
    func paintCertainty(_ label: String, _ p: PrivilegePath) -> String {
        switch p.certainty {
        case .certain: return paint(label, "1;31")
        case .shownTrue, .notShown: return paint(label, "33")
        case .shownFalse: return paint(label, "32")
        }
    }

    func paintObservation(_ c: PathCondition) -> String {
        let text = c.observation
        switch c.observed {
        case true: return paint(text, "31")
        case false: return paint(text, "32")
        case nil: return paint(text, "33")
        }
    }

    // MARK: Chains

    /// Steps from a set to one of its members, shown as `⊃` in chains.
    static func isNarrowing(_ k: EscalationKind) -> Bool {
        k == .everyNamespace || k == .eachServiceAccount || k == .containsSecret
    }

    /// A path on one line: `─pod-create→ run-pods:dev ─privileged-pod?→ nodes …`. Narrowing steps
    /// (every namespace → one, any service account → one, every secret → one) read `⊃ member`;
    /// conditional steps end their kind with `?`. Every step is there.
    func chain(_ p: PrivilegePath) -> String {
        if p.steps.isEmpty { return "(no step needed)" }
        var parts: [String] = []
        for s in p.steps {
            let to = name(s.to)
            if Self.isNarrowing(s.kind) {
                parts.append("⊃ " + to)
            } else {
                let arrow = "─\(s.kind.rawValue)\(s.isCertain ? "" : "?")→"
                parts.append(paint(arrow, s.isCertain ? "36" : "33") + " " + to)
            }
        }
        return parts.joined(separator: " ")
    }

    /// The chain without colors: what table cells are measured on.
    func plainChain(_ p: PrivilegePath) -> String {
        PathPrinter(esc, color: false).chain(p)
    }

    /// The kind of the first step that comes from a permission (what one does first), or of
    /// the first step.
    static func how(_ p: PrivilegePath) -> String {
        (p.steps.first { $0.kind.isGranted } ?? p.steps.first)?.kind.rawValue ?? "direct"
    }

    // MARK: Detailed blocks

    /// Why a structural step holds.
    func reason(_ s: PathEdge) -> String {
        let from = esc.nodes[s.from], to = esc.nodes[s.to]
        switch s.kind {
        case .memberOf:
            return "a service account is in system:serviceaccounts and system:serviceaccounts:<its namespace>"
        case .publicBinding:
            if case .user(let u) = from, u == Identity.anonymousUser { return "the anonymous user is in system:unauthenticated" }
            if case .user(let u) = to, u == Identity.anonymousUser {
                return "anyone may send a request without credentials: as system:anonymous"
            }
            if case .group = from { return "members of a group are authenticated: they are in system:authenticated" }
            return "every authenticated user and service account is in system:authenticated"
        case .systemMasters: return "the API server allows system:masters everything, ahead of RBAC"
        case .runAs: return "a pod may run as any service account of its namespace"
        case .mountSecrets: return "a pod may mount any secret of its namespace"
        case .privilegedPod: return "a privileged or hostPath pod takes over its node"
        case .hostNamespacePod: return "a pod sharing its node's PID, network or IPC namespace reaches beyond its container into the node"
        case .readToken:
            if case .secret(let ns, let n) = from { return "secret \(ns)/\(n) is a legacy token of \(to.description)" }
            return "a legacy service-account token secret holds a token"
        case .nodePods: return "a node's kubelet runs, and holds the tokens of, the pods scheduled there"
        case .controlPlaneNode: return "a control-plane node holds the cluster's own credentials"
        case .controlPlanePod: return "a pod that reaches its node, on a node that runs the control plane, holds the cluster's own credentials"
        case .everyNamespace: return "what holds in every namespace holds in \(s.namespace ?? namespace(of: to) ?? "each")"
        case .eachServiceAccount: return "any service account includes \(to.description)"
        case .podToken: return "a running pod holds its service account's token"
        case .podTemplate: return "a workload's pod template decides what its pods run, and as whom"
        case .namespaceAdmin: return "full authority in a namespace includes running pods and reading secrets there"
        case .containsSecret: return "every secret of the namespace includes this one"
        default: return s.kind.rawValue
        }
    }

    private func namespace(of node: PathNode) -> String? {
        switch node {
        case .runPods(let s), .anyServiceAccount(let s), .runningPods(let s), .secrets(let s): return s.namespaceName
        case .workloads(_, let s): return s.namespaceName
        case .namespaceAuthority(let ns): return ns
        default: return nil
        }
    }

    /// Whether a binding subject names the node itself (then it goes without saying).
    private func subject(_ s: Subject, isNode i: NodeID) -> Bool {
        PathNode(subject: s) == esc.nodes[i]
    }

    static func location(_ s: SourceLocation?) -> String? {
        s.map { "\($0.file):\($0.line)" }
    }

    /// The `-o wide` columns of a path: the first grant behind it (`binding → role`) and where
    /// that binding is written; "-" for a path with no grant (membership alone).
    func firstGrant(_ p: PrivilegePath) -> (grant: String, source: String) {
        for s in p.steps {
            for e in s.evidence {
                let role = esc.access.roles[e.role].displayName
                guard let b = e.binding else { return ("(a binding one creates) → \(role)", "-") }
                let binding = esc.access.bindings[b]
                return ("\(binding.displayName) → \(role)", Self.location(binding.source) ?? "-")
            }
        }
        return ("-", "-")
    }

    /// The lines under a step: its grants (binding → role, rule, where they are written), why a
    /// structural step holds, and its condition.
    func details(_ s: PathEdge) -> [(label: String, text: String)] {
        var out: [(label: String, text: String)] = []
        for e in s.evidence {
            let role = esc.access.roles[e.role]
            let rule = role.rules[e.ruleIndex].summary
            var line = paint(e.purpose, "1") + ": "
            var sources: [String] = []
            if let b = e.binding {
                let binding = esc.access.bindings[b]
                line += binding.displayName
                if let subj = e.subject, !subject(subj, isNode: s.from) {
                    line += " (to \(subj.displayName))"
                }
                sources.append(Self.location(binding.source) ?? "?")
            } else {
                line += "(a binding one creates)"
                sources.append("new binding")
            }
            line += " → \(role.displayName) rule \(e.ruleIndex) [\(rule)]"
            sources.append(Self.location(role.source) ?? "?")
            out.append(("grant", line))
            if sources.contains(where: { $0 != "?" && $0 != "new binding" }) {
                out.append(("", paint(sources.joined(separator: " → "), "2")))
            }
        }
        if !s.kind.isGranted { out.append(("why", reason(s))) }
        if let c = s.condition {
            out.append(("if", "\(c.text): " + paintObservation(c)))
        }
        return out
    }

    /// A path in full: the start, then one numbered line per step (kind, scope, what it
    /// reaches) with its grants, reasons and condition under it.
    func block(_ p: PrivilegePath, title: String) -> String {
        var out = paint(title, "1") + ": \(p.steps.count) step\(p.steps.count == 1 ? "" : "s"), "
            + paintCertainty(p.certaintyLabel, p) + "\n"
        out += "   " + paint(name(p.start), "1") + "\n"
        if p.steps.isEmpty {
            out += "   no step needed\n"
            return out
        }
        return out + stepLines(p, first: 1, numberWidth: String(p.steps.count).count)
    }

    /// The numbered lines of a path's steps, numbered from `first`, each with its details;
    /// kinds padded to at least `kindWidth` (to line up with steps printed around them).
    func stepLines(_ p: PrivilegePath, first: Int, numberWidth: Int, kindWidth: Int = 0) -> String {
        var out = ""
        let kindWidth = max(kindWidth, p.steps.map { $0.kind.rawValue.count + ($0.isCertain ? 0 : 1) }.max() ?? 0)
        let scopes = p.steps.map { $0.namespace.map { "in \($0)" } ?? "" }
        let scopeWidth = scopes.map(\.count).max() ?? 0
        let labelWidth = 5
        for (k, s) in p.steps.enumerated() {
            let n = String(first + k)
            let kind = s.kind.rawValue + (s.isCertain ? "" : "?")
            let kindText = paint(kind, s.isCertain ? (s.kind.isGranted ? "1;36" : "36") : "1;33")
            var line = "   " + String(repeating: " ", count: numberWidth - n.count) + paint(n, "2") + "  "
            line += kindText + String(repeating: " ", count: kindWidth - kind.count)
            if scopeWidth > 0 { line += "  " + scopes[k] + String(repeating: " ", count: scopeWidth - scopes[k].count) }
            line += "  → " + (esc.nodes[s.to].isIdentity ? paint(name(s.to), "1") : describe(s.to))
            out += line + "\n"
            let indent = String(repeating: " ", count: 3 + numberWidth + 2 + 2)
            for d in details(s) {
                let label = d.label.isEmpty ? "" : d.label == "if" ? paint(d.label, "33") : paint(d.label, "2")
                out += indent + label + String(repeating: " ", count: labelWidth + 1 - d.label.count) + d.text + "\n"
            }
        }
        return out
    }

    // MARK: Collapsing members

    /// Splits ranked paths into those shown as rows and those that only go through a group
    /// shown as a row (`member-of`/`public-binding` first, the rest the group's own path): the
    /// members are listed under the table instead of repeating the group's path.
    func collapsingMembers(_ paths: [PrivilegePath]) -> (rows: [PrivilegePath], members: [(group: NodeID, members: [NodeID])]) {
        var byStart: [NodeID: PrivilegePath] = [:]
        for p in paths { byStart[p.start] = p }
        var rows: [PrivilegePath] = []
        var members: [NodeID: [NodeID]] = [:]
        var groupOrder: [NodeID] = []
        for p in paths {
            if let first = p.steps.first, first.kind == .memberOf || first.kind == .publicBinding,
                case .group = esc.nodes[first.to], let groupPath = byStart[first.to],
                groupPath.steps == Array(p.steps.dropFirst())
            {
                if members[first.to] == nil { groupOrder.append(first.to) }
                members[first.to, default: []].append(p.start)
                continue
            }
            rows.append(p)
        }
        return (rows, groupOrder.map { ($0, members[$0] ?? []) })
    }

    /// `  through group:G: sa:a/b, sa:a/c, … (12 in all)` lines for collapsed members.
    func memberLines(_ groups: [(group: NodeID, members: [NodeID])], limit: Int = 10) -> [String] {
        groups.map { g in
            let names = g.members.map(name)
            let shown = names.prefix(limit).joined(separator: ", ") + (names.count > limit ? ", … (\(names.count) in all)" : "")
            return "  through \(name(g.group)): \(shown)"
        }
    }
}
