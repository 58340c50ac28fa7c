// The facts of the input the path engine works from: namespaces, service accounts (every one
// the input mentions, and `default` everywhere), users, groups, secrets, pods and workloads.

extension EscalationGraph.Builder {
    func collectFacts() {
        var nsSet = Set<String>()
        func addNS(_ ns: String?) { if let ns, !ns.isEmpty { nsSet.insert(ns) } }
        for n in g.namespaces {
            addNS(n.name)
            namespaceLabels[n.name] = n.labels
        }
        for r in g.roles { addNS(r.namespace) }
        for b in g.bindings { addNS(b.namespace) }
        for s in g.secrets {
            addNS(s.namespace)
            secretsByNamespace[s.namespace, default: []].append(s)
        }
        // A Secret an ExternalSecret has the operator create exists, in the input or not.
        for m in g.materializedSecrets() where !m.inInput {
            addNS(m.namespace)
            secretsByNamespace[m.namespace, default: []].append(SecretMetadata(namespace: m.namespace, name: m.name, source: m.externalSecret.source))
        }
        for w in g.workloads {
            addNS(w.namespace)
            workloadsByNamespace[w.namespace, default: []].append(w)
            if w.kind == "Pod" { podsByNamespace[w.namespace, default: []].append(w) }
        }
        var saSet = Set<ServiceAccountName>()
        func addSA(_ sa: ServiceAccountName) {
            if saSet.insert(sa).inserted { serviceAccounts[sa.namespace, default: []].append(sa.name) }
        }
        for sa in g.knownServiceAccounts {
            addNS(sa.namespace)
            addSA(sa)
        }
        // A legacy token secret names its service account.
        for s in g.secrets {
            if let sa = s.tokenServiceAccount, !sa.isEmpty { addSA(ServiceAccountName(namespace: s.namespace, name: sa)) }
        }
        var extraUsers: [String] = []
        var extraGroups: [String] = []
        for e in extra {
            switch e {
            case .user(let u): extraUsers.append(u)
            case .group(let g): extraGroups.append(g)
            case .serviceAccount(let ns, let n):
                addNS(ns)
                let sa = ServiceAccountName(namespace: ns, name: n)
                if !saSet.contains(sa) { assumedServiceAccounts.insert(sa) }
                addSA(sa)
            default: break
            }
        }
        namespaces = nsSet.sorted()
        for ns in namespaces where !saSet.contains(ServiceAccountName(namespace: ns, name: "default")) {
            serviceAccounts[ns, default: []].append("default")  // every namespace has one
        }
        for ns in namespaces { serviceAccounts[ns]?.sort() }
        // A User subject named system:serviceaccount:NS:NAME is that service account.
        for u in g.knownUsers + extraUsers {
            if let sa = ServiceAccountName(userName: u) {
                addNS(sa.namespace)
                addSA(sa)
            }
        }
        var userSet = Set<ExactKey>()
        users = (g.knownUsers + extraUsers)
            .filter { !$0.isExactly(Identity.anonymousUser) && ServiceAccountName(userName: $0) == nil && userSet.insert(ExactKey($0)).inserted }
            .sorted() + [Identity.anonymousUser]
        var groupSet = Set<ExactKey>()
        var groupList: [String] = []
        func addGroup(_ g: String) { if groupSet.insert(ExactKey(g)).inserted { groupList.append(g) } }
        for g in [Identity.authenticatedGroup, Identity.unauthenticatedGroup, Identity.mastersGroup, ServiceAccountName.allServiceAccountsGroup] {
            addGroup(g)
        }
        for ns in namespaces { addGroup(ServiceAccountName.namespaceGroup(ns)) }
        extraGroups.forEach(addGroup)
        for b in g.bindings {
            for s in b.subjects where s.isKind(.group) { addGroup(s.name) }
        }
        groups = groupList.sorted()
    }
}
