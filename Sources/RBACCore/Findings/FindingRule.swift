/// A report rule: a stable id, a severity, what it checks and why, how to fix it, examples
/// that must and must not trigger it, and the check itself.
///
/// Every rule's examples are checked by one generic test (`FindingRuleExampleTests`), the
/// way SwiftLint's `triggeringExamples` work.
public struct FindingRule: Sendable {
    public enum Category: String, CaseIterable, Sendable {
        case dangerousGrant = "Dangerous grants"
        case riskyBinding = "Risky bindings"
        case brokenPolicy = "Broken or dead policy"
        case secretsHygiene = "Secrets hygiene"
    }

    /// Stable: reports, baselines and SARIF refer to it.
    public let id: String
    public let category: Category
    /// The highest severity it reports (some findings of a rule may be lower).
    public let severity: Severity
    public let title: String
    /// Why it matters.
    public let rationale: String
    /// How to fix it.
    public let remediation: String
    /// Manifests (multi-document YAML) that must produce at least one finding of this rule.
    public let triggeringExamples: [String]
    /// Manifests that must produce none.
    public let nonTriggeringExamples: [String]
    /// The check: given the rule itself, whose ``finding(severity:message:principal:object:related:evidence:path:)``
    /// is the only way to make a finding (`thisRule.finding(…)` in the rules), so a rule cannot
    /// report under another rule's id.
    let check: @Sendable (FindingRule, ReportContext) -> [Finding]

    public init(
        id: String, category: Category, severity: Severity, title: String, rationale: String, remediation: String,
        triggeringExamples: [String], nonTriggeringExamples: [String],
        check: @escaping @Sendable (FindingRule, ReportContext) -> [Finding]
    ) {
        self.id = id
        self.category = category
        self.severity = severity
        self.title = title
        self.rationale = rationale
        self.remediation = remediation
        self.triggeringExamples = triggeringExamples
        self.nonTriggeringExamples = nonTriggeringExamples
        self.check = check
    }

    /// Runs the rule.
    public func findings(in context: ReportContext) -> [Finding] { check(self, context) }
}
