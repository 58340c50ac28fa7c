import RBACCore

/// RBAC fields: `rules` (RBAC PolicyRules, or the rules of an audit Policy), `aggregationRule`,
/// `roleRef`, `subjects`.
extension ManifestDecoder {
    /// `rules`: RBAC PolicyRules, or audit Policy rules (their fields are read too: the kind may
    /// come later).
    func decodeRules() throws(YAMLStreamError) -> [RuleDraft] {
        var rules: [RuleDraft] = []
        try readSequence("rules") { () throws(YAMLStreamError) in
            var draft = RuleDraft(location: location)
            try readFields("rules[]") { (key) throws(YAMLStreamError) in
                switch key {
                case .verbs: draft.rule.verbs = try readStringList("rules[].verbs")
                case .apiGroups: draft.rule.apiGroups = try readStringList("rules[].apiGroups")
                case .resources: try decodeRuleResources(&draft)
                case .resourceNames: draft.rule.resourceNames = try readStringList("rules[].resourceNames")
                case .nonResourceURLs: draft.rule.nonResourceURLs = try readStringList("rules[].nonResourceURLs")
                // Audit Policy rules.
                case .level: draft.audit.level = try readString("rules[].level")
                case .users: draft.audit.users = try readStringList("rules[].users")
                case .userGroups: draft.audit.userGroups = try readStringList("rules[].userGroups")
                case .namespaces: draft.audit.namespaces = try readStringList("rules[].namespaces")
                case .omitStages: draft.audit.omitStages = try readStringList("rules[].omitStages")
                default: try reader.skipNode()
                }
            }
            rules.append(draft)
        }
        return rules
    }

    /// `resources`: strings in an RBAC rule, `{group, resources, resourceNames}` mappings in an
    /// audit rule.
    func decodeRuleResources(_ draft: inout RuleDraft) throws(YAMLStreamError) {
        // The strings, collected as readStringList does.
        let start = scratch.count
        defer { dropScratch(from: start) }
        try readSequence("rules[].resources") { () throws(YAMLStreamError) in
            guard let k = try node() else { return }
            if k == .mapping {
                draft.resourcesWereMappings = true
                var gr = AuditPolicy.GroupResources()
                try readFields("rules[].resources[]") { (key) throws(YAMLStreamError) in
                    switch key {
                    case .group: gr.group = try readString("rules[].resources[].group") ?? ""
                    case .resources: gr.resources = try readStringList("rules[].resources[].resources")
                    case .resourceNames: gr.resourceNames = try readStringList("rules[].resources[].resourceNames")
                    default: try reader.skipNode()
                    }
                }
                draft.audit.groupResources.append(gr)
            } else if let s = try readString("rules[].resources[]") {
                scratch.append(s)
            }
        }
        if draft.rule.resources.isEmpty {
            draft.rule.resources = scratchStrings(from: start)
        } else {
            draft.rule.resources.append(contentsOf: scratch[start...])  // `resources` twice (an error)
        }
    }


    func decodeAggregationRule() throws(YAMLStreamError) -> AggregationRule? {
        guard try node() != .null else {
            try reader.advance()
            return nil
        }
        var selectors: [LabelSelector] = []
        try readFields("aggregationRule") { (key) throws(YAMLStreamError) in
            guard key == .clusterRoleSelectors else { return try reader.skipNode() }
            try readSequence("aggregationRule.clusterRoleSelectors") { () throws(YAMLStreamError) in
                var labels: [(key: String, value: String)] = []
                var expressions: [LabelSelector.Requirement] = []
                try readFields("clusterRoleSelectors[]") { (key) throws(YAMLStreamError) in
                    switch key {
                    case .matchLabels:
                        try readMapping("matchLabels") { (k) throws(YAMLStreamError) in
                            if let v = try readString("matchLabels.\(k)") {
                                labels.removeAll { $0.key == k }
                                labels.append((k, v))
                            }
                        }
                    case .matchExpressions:
                        try readSequence("matchExpressions") { () throws(YAMLStreamError) in
                            var req = LabelSelector.Requirement(key: "", operator: "")
                            try readFields("matchExpressions[]") { (k) throws(YAMLStreamError) in
                                switch k {
                                case .key: req.key = try readString("matchExpressions[].key") ?? ""
                                case .operator: req.operator = try readString("matchExpressions[].operator") ?? ""
                                case .values: req.values = try readStringList("matchExpressions[].values")
                                default: try reader.skipNode()
                                }
                            }
                            expressions.append(req)
                        }
                    default: try reader.skipNode()
                    }
                }
                selectors.append(LabelSelector(matchLabels: labels, matchExpressions: expressions))
            }
        }
        return AggregationRule(clusterRoleSelectors: selectors)
    }

    func decodeRoleRef(_ d: inout ObjectDraft) throws(YAMLStreamError) {
        var ref: (apiGroup: String?, kind: String?, name: String?) = (nil, nil, nil)
        var present = false
        try readFields("roleRef") { (key) throws(YAMLStreamError) in
            present = true
            switch key {
            case .apiGroup: ref.apiGroup = try readString("roleRef.apiGroup")
            case .kind: ref.kind = try readString("roleRef.kind")
            case .name: ref.name = try readString("roleRef.name")
            default: try reader.skipNode()
            }
        }
        if present { d.roleRef = ref }
    }

    func decodeSubjects() throws(YAMLStreamError) -> [Subject] {
        var subjects: [Subject] = []
        try readSequence("subjects") { () throws(YAMLStreamError) in
            let loc = location
            var s = Subject(kind: "", name: "")
            var apiVersion: String? = nil
            var hasName = false
            try readFields("subjects[]") { (key) throws(YAMLStreamError) in
                switch key {
                case .kind: s.kind = try readString("subjects[].kind") ?? ""
                case .apiGroup: s.apiGroup = try readString("subjects[].apiGroup") ?? ""
                case .apiVersion: apiVersion = try readString("subjects[].apiVersion")  // v1alpha1
                case .name:
                    if let n = try readString("subjects[].name") {
                        s.name = n
                        hasName = true
                    }
                case .namespace: s.namespace = try readString("subjects[].namespace") ?? ""
                default: try reader.skipNode()
                }
            }
            if s.apiGroup.isEmpty, let apiVersion, let slash = apiVersion.firstIndex(of: "/") {
                s.apiGroup = String(apiVersion[..<slash])
            }
            if s.kind.isEmpty {
                error("subjects[]: kind is required", at: loc)
            } else if !hasName {
                error("subjects[]: name is required", at: loc)
            } else {
                subjects.append(s)
            }
        }
        return subjects
    }
}
