extension Report {
    /// The report's findings of a graph, sorted as the report sorts them, without what each
    /// principal holds: what `rbacgraph diff` compares on each side (``FindingsDiff``), at a
    /// fraction of the whole report's time and memory. ``Report/init(graph:rules:namespace:events:ignore:inputSummary:input:builtinPolicy:subject:detail:)``
    /// builds its findings with it.
    public struct Findings: Sendable {
        /// The findings that count (not left out by the baseline, not the built-in policy's alone).
        public var findings: [Finding]
        /// Findings that rest only on unmodified objects of the built-in policy.
        public var builtIn: [Finding]
        /// Findings left out by the baseline (`ignore`).
        public var ignored: [Finding]
        /// Baseline lines that leave out no finding.
        public var unmatchedBaseline: [String]
        /// What the rules looked at (the escalation graph among it).
        public let context: ReportContext

        /// Runs the rules on `graph`; the parameters are those of the report's.
        public init(
            graph: AccessGraph, rules: [FindingRule] = FindingRule.all, namespace: String? = nil, ignore: [String] = [],
            subject: IdentityPattern? = nil, detail: Bool = false
        ) {
            let context = ReportContext(graph: graph, detail: detail)
            self.context = context
            var all = FindingEngine.run(context, rules: rules)
            if let ns = namespace {
                all = all.filter { f in
                    f.object.namespace == ns || f.principal?.hasPrefix("sa:\(ns)/") == true
                        || f.related.contains { $0.namespace == ns }
                }
            }
            if let subject {
                all = all.filter { f in f.principal.map(subject.matches) ?? false }
            }
            let baseline = Baseline(lines: ignore)
            let isIgnored = baseline.accepts
            self.unmatchedBaseline = baseline.unmatched(by: all)
            let origins = ObjectOrigins(graph)
            // An identity the built-in policy alone brings to full authority: its path is not news,
            // whatever path of the input was found first (as `escalations --fail-if-any`).
            // A finding names its principal in the notation: compare with the nodes' printed form.
            let reachedByBuiltIns = all.contains { $0.ruleID == "escalation-path" }
                ? Set(context.escalation.identitiesReachingByBuiltInsAlone(.fullAuthority).map(\.description)) : []
            let notNews = { (f: Finding) in
                origins.isBuiltInOnly(f) || (f.ruleID == "escalation-path" && f.principal.map(reachedByBuiltIns.contains) == true)
            }
            self.builtIn = all.filter { !isIgnored($0) && notNews($0) }
            self.findings = all.filter { !isIgnored($0) && !notNews($0) }
            self.ignored = all.filter(isIgnored)
        }
    }
}
