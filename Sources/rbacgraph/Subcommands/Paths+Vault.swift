import ArgumentParser
import RBACCore
import RBACGraphviz

/// `paths --to vault:…`: privilege paths that end in Vault (docs/external-secrets.md).
extension RBACGraphCommand.Paths {
    func runVault(start: PathNode, target: VaultTarget) throws {
        let loaded = try input.load()
        let graph = loaded.graph
        InputWarnings.vault(target.pattern, capability: target.capability, in: graph, quiet: input.quiet)
        InputWarnings.identity(start, in: graph, quiet: input.quiet)
        let esc = PathFinder(graph).graph(including: [start])
        let found = esc.vaultPaths(from: start, to: target, maxSteps: maxSteps, all: all)
        try printExternal(
            found.map { .external($0) }, esc: esc, start: start, title: "\(target)", loaded: loaded,
            extra: [("capability", .string(target.capability.description))])
    }
}

extension PathPrinter {
    /// A path to Vault in full: its Kubernetes steps as ``block(_:title:)`` prints them, then
    /// the external steps, numbered on, each with its evidence and condition.
    func vaultBlock(_ p: VaultPath, title: String) -> String {
        var out = paint(title, "1") + ": \(p.stepCount) step\(p.stepCount == 1 ? "" : "s"), "
        switch p.certainty {
        case .certain: out += paint(p.certaintyLabel, "1;31")
        case .shownTrue, .notShown: out += paint(p.certaintyLabel, "33")
        case .shownFalse: out += paint(p.certaintyLabel, "32")
        }
        out += "\n   " + paint(name(p.kubernetes.start), "1") + "\n"
        if !p.kubernetes.steps.isEmpty {
            // The Kubernetes steps, as `paths` prints them (less its title and start lines).
            out += block(p.kubernetes, title: "").split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).joined(separator: "\n")
        }
        let numberWidth = String(p.stepCount).count
        let kindWidth = (p.external.map { $0.kind.rawValue.count + ($0.condition == nil ? 0 : 1) }
            + p.external.compactMap(\.branch).flatMap { $0.steps.map { $0.kind.rawValue.count + ($0.isCertain ? 0 : 1) } }).max() ?? 0
        let indent = String(repeating: " ", count: 3 + numberWidth + 2 + 2)
        var number = p.kubernetes.steps.count
        for s in p.external {
            // A step taken as another identity: the start's steps to it first, numbered on.
            if let b = s.branch {
                out += "   " + paint(name(b.start), "1") + ", as another identity:\n"
                out += stepLines(b, first: number + 1, numberWidth: numberWidth, kindWidth: kindWidth)
                number += b.steps.count
            }
            number += 1
            let n = String(number)
            let kind = s.kind.rawValue + (s.condition == nil ? "" : "?")
            var line = "   " + String(repeating: " ", count: numberWidth - n.count) + paint(n, "2") + "  "
            line += paint(kind, s.condition == nil ? "1;35" : "1;33") + String(repeating: " ", count: kindWidth - kind.count)
            if let ns = s.namespace { line += "  in \(ns)" }
            out += line + "  → " + s.to + "\n"
            out += indent + paint("why", "2") + "   " + s.why + "\n"
            if let g = s.grant {
                let rule = esc.access.roles[g.role].rules[g.ruleIndex].summary
                out += indent + paint("grant", "2") + " \(esc.access.bindings[g.binding].displayName) → \(esc.access.roles[g.role].displayName) rule \(g.ruleIndex) [\(rule)]\n"
                let sources = [esc.access.bindings[g.binding].source, esc.access.roles[g.role].source].compactMap(Self.location)
                if !sources.isEmpty { out += indent + "      " + paint(sources.joined(separator: " → "), "2") + "\n" }
            } else if s.viaMasters {
                out += indent + paint("grant", "2") + " \(Self.apiServer)\n"
            }
            for e in s.evidence { out += indent + paint("from", "2") + "  " + e + "\n" }
            if let c = s.condition { out += indent + paint("if", "33") + "    \(c.text): " + paintObservation(c) + "\n" }
        }
        return out
    }
}
