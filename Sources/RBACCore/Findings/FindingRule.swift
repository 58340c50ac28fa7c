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
        case externalSecrets = "External secrets"
    }

    /// What a rule reads besides the manifests (`-f`). Rules that need an input the run did
    /// not get are still run (they find nothing to check); the report says they were not
    /// checked when the manifests point at that input (``Report/notChecked``).
    public enum Input: String, Hashable, Sendable {
        /// The Vault roles and policies of `--vault DIR`.
        case vault
    }

    /// An input that must, or must not, trigger a rule: manifests, and for rules that read
    /// Vault, the files of a `--vault` folder. A string literal is manifests alone.
    public struct Example: Sendable, ExpressibleByStringLiteral {
        /// Manifests (multi-document YAML).
        public var manifests: String
        /// Files of a `--vault` folder by their path in it (`sys/policy/admin.hcl`,
        /// `auth/kubernetes/role/web.json`), in that folder's formats.
        public var vault: [String: String]

        public init(_ manifests: String = "", vault: [String: String] = [:]) {
            self.manifests = manifests
            self.vault = vault
        }

        public init(stringLiteral manifests: String) { self.init(manifests) }
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
    /// Inputs that must produce at least one finding of this rule.
    public let triggeringExamples: [Example]
    /// Inputs that must produce none: the near misses.
    public let nonTriggeringExamples: [Example]
    /// What it reads besides the manifests.
    public let inputs: Set<Input>
    /// The check: given the rule itself, whose ``finding(severity:message:principal:object:related:evidence:path:)``
    /// is the only way to make a finding (`thisRule.finding(…)` in the rules), so a rule cannot
    /// report under another rule's id.
    let check: @Sendable (FindingRule, ReportContext) -> [Finding]

    public init(
        id: String, category: Category, severity: Severity, title: String, rationale: String, remediation: String,
        triggeringExamples: [Example], nonTriggeringExamples: [Example], inputs: Set<Input> = [],
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
        self.inputs = inputs
        self.check = check
    }

    /// Runs the rule.
    public func findings(in context: ReportContext) -> [Finding] { check(self, context) }
}
