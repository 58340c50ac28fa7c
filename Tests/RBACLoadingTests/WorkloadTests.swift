// Pods and the pod templates of workloads: which service account their pods run as, which
// secrets they reference, and how privileged they are.

import Foundation
import RBACCore
import RBACLoading
import Testing

@Suite("Loader: workloads and pod templates")
struct WorkloadTests {
    /// Every way a pod spec references a Secret, in spec order (containers, initContainers,
    /// volumes, imagePullSecrets); ConfigMap references are not secrets.
    @Test("a Pod's secret references, privileges and host access")
    func podSpec() {
        let result = load("""
            apiVersion: v1
            kind: Pod
            metadata: {name: web, namespace: apps}
            spec:
              containers:
              - name: app
                image: registry.example.com/app:1
                env:
                - {name: PLAIN, value: x}
                - name: DB_PASSWORD
                  valueFrom: {secretKeyRef: {name: db-secret, key: password}}
                - name: FROM_CM
                  valueFrom: {configMapKeyRef: {name: cm, key: k}}
                envFrom:
                - secretRef: {name: env-secret}
                - configMapRef: {name: cm}
                securityContext: {privileged: true, runAsUser: 0}
              - name: sidecar
                securityContext: {privileged: false}
              initContainers:
              - name: init
                envFrom: [{secretRef: {name: init-secret}}]
              volumes:
              - name: creds
                secret: {secretName: vol-secret}
              - name: projected
                projected:
                  sources:
                  - secret: {name: proj-secret}
                  - configMap: {name: cm}
                  - serviceAccountToken: {path: token}
              - name: docker
                hostPath: {path: /var/run/docker.sock}
              - name: config
                configMap: {name: cm}
              imagePullSecrets: [{name: regcred}]
              hostNetwork: true
              nodeName: node-1

            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.cluster.workloads.count == 1)
        guard let pod = result.cluster.workloads.first else { return }
        #expect(pod.kind == "Pod")
        #expect(pod.namespace == "apps")
        #expect(pod.name == "web")
        let t = pod.template
        #expect(t.serviceAccountName == "default")
        #expect(t.secretReferences == [
            SecretReference(name: "db-secret", usage: .env, container: "app"),
            SecretReference(name: "env-secret", usage: .envFrom, container: "app"),
            SecretReference(name: "init-secret", usage: .envFrom, container: "init"),
            SecretReference(name: "vol-secret", usage: .volume),
            SecretReference(name: "proj-secret", usage: .projectedVolume),
            SecretReference(name: "regcred", usage: .imagePullSecret),
        ])
        #expect(t.privileged)
        #expect(t.hostPathVolumes)
        #expect(t.hostNetwork)
        #expect(!t.hostPID)
        #expect(!t.hostIPC)
        #expect(t.nodeName == "node-1")
        #expect(t.automountServiceAccountToken == nil)
        #expect(t.projectsServiceAccountToken)
    }

    /// Whether a pod holds its service account's token: a projected `serviceAccountToken`
    /// volume always mounts one; otherwise the pod's `automountServiceAccountToken` wins over
    /// the ServiceAccount's, in both directions; neither written: mounted.
    @Test(
        "a pod's token: the pod's automount over the ServiceAccount's, a projected token always",
        arguments: [
            // (ServiceAccount's setting, pod's setting, projected token volume, mounted)
            (nil, nil, false, true),
            ("false", nil, false, false),
            ("true", nil, false, true),
            ("false", "true", false, true),
            ("true", "false", false, false),
            (nil, "false", false, false),
            ("false", "false", true, true),
            (nil, "false", true, true),
        ] as [(String?, String?, Bool, Bool)])
    func tokenMounted(_ sa: String?, _ pod: String?, _ projected: Bool, _ mounted: Bool) throws {
        let result = load("""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: builder, namespace: ci}
            \(sa.map { "automountServiceAccountToken: \($0)" } ?? "")
            ---
            apiVersion: v1
            kind: Pod
            metadata: {name: build, namespace: ci}
            spec:
              serviceAccountName: builder
              \(pod.map { "automountServiceAccountToken: \($0)" } ?? "")
              containers: [{name: app, image: builder}]
              \(projected ? "volumes: [{name: t, projected: {sources: [{serviceAccountToken: {path: token}}]}}]" : "")
            """)
        #expect(result.diagnostics.isEmpty)
        let w = try #require(result.cluster.workloads.first)
        let account = try #require(result.cluster.serviceAccounts.first)
        #expect(w.template.projectsServiceAccountToken == projected)
        #expect(w.template.mountsToken(serviceAccount: account) == mounted)
    }

    /// `serviceAccountName`, else the deprecated `serviceAccount`, else `default`.
    @Test(
        "the service account a pod runs as",
        arguments: [
            ("", "default"),
            ("serviceAccountName: builder", "builder"),
            ("serviceAccount: legacy", "legacy"),
            ("serviceAccount: legacy\n  serviceAccountName: modern", "modern"),
            ("serviceAccountName: modern\n  serviceAccount: legacy", "modern"),
        ])
    func serviceAccountName(field: String, expected: String) {
        let result = load("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec:
              \(field)
              containers: [{name: c}]

            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.cluster.workloads.map(\.template.serviceAccountName) == [expected])
    }

    /// Workloads keep their pod template's spec: `spec.template.spec` for Deployments and the
    /// like, `spec.jobTemplate.spec.template.spec` for CronJobs. The workload's own spec
    /// fields (replicas, selector) are not pod fields.
    @Test("Deployment, DaemonSet, Job and CronJob pod templates")
    func workloadTemplates() {
        let result = load("""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api, namespace: prod}
            spec:
              replicas: 3
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  serviceAccountName: api-sa
                  automountServiceAccountToken: false
                  containers:
                  - name: api
                    env: [{name: T, valueFrom: {secretKeyRef: {name: api-token, key: t}}}]
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata: {name: agent, namespace: kube-system}
            spec:
              template:
                spec:
                  serviceAccount: agent-legacy
                  hostPID: true
                  hostIPC: true
                  containers: [{name: agent, securityContext: {privileged: true}}]
                  volumes: [{name: root, hostPath: {path: /}}]
            ---
            apiVersion: batch/v1
            kind: Job
            metadata: {name: migrate}
            spec:
              template:
                spec:
                  containers: [{name: m, envFrom: [{secretRef: {name: db}}]}]
            ---
            apiVersion: batch/v1
            kind: CronJob
            metadata: {name: backup, namespace: prod}
            spec:
              schedule: "0 3 * * *"
              jobTemplate:
                spec:
                  template:
                    spec:
                      serviceAccountName: backup-sa
                      containers: [{name: b}]
                      volumes: [{name: s3, secret: {secretName: s3-creds}}]
                      imagePullSecrets: [{name: regcred}]

            """)
        #expect(result.diagnostics.isEmpty)
        let w = result.cluster.workloads
        #expect(w.map { "\($0.kind) \($0.namespace)/\($0.name)" } == [
            "Deployment prod/api", "DaemonSet kube-system/agent", "Job default/migrate", "CronJob prod/backup",
        ])
        guard w.count == 4 else { return }
        #expect(w[0].template == PodTemplate(
            serviceAccountName: "api-sa", automountServiceAccountToken: false,
            secretReferences: [SecretReference(name: "api-token", usage: .env, container: "api")]))
        #expect(w[1].template == PodTemplate(
            serviceAccountName: "agent-legacy", hostPID: true, hostIPC: true, privileged: true, hostPathVolumes: true))
        #expect(w[2].template == PodTemplate(
            serviceAccountName: "default", secretReferences: [SecretReference(name: "db", usage: .envFrom, container: "m")]))
        #expect(w[3].template == PodTemplate(
            serviceAccountName: "backup-sa",
            secretReferences: [SecretReference(name: "s3-creds", usage: .volume), SecretReference(name: "regcred", usage: .imagePullSecret)]))
        #expect(result.statistics.loadedKinds == ["Deployment": 1, "DaemonSet": 1, "Job": 1, "CronJob": 1])
    }

    @Test("every workload kind is kept", arguments: ["Pod", "Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job", "CronJob", "ReplicationController"])
    func workloadKinds(kind: String) {
        let result = load("apiVersion: v1\nkind: \(kind)\nmetadata: {name: w}\n")
        #expect(result.diagnostics.isEmpty)
        #expect(result.cluster.workloads.map(\.kind) == [kind])
        #expect(result.cluster.workloads.first?.template == PodTemplate())
    }

    @Test("ServiceAccounts and Namespaces keep what rbacgraph uses")
    func serviceAccountsAndNamespaces() {
        let result = load("""
            apiVersion: v1
            kind: ServiceAccount
            metadata: {name: builder, namespace: ci}
            automountServiceAccountToken: false
            secrets: [{name: builder-token-x}, {name: builder-dockercfg}]
            imagePullSecrets: [{name: regcred}]
            ---
            apiVersion: v1
            kind: Namespace
            metadata: {name: ci, labels: {team: platform}}

            """)
        #expect(result.diagnostics.isEmpty)
        #expect(result.cluster.serviceAccounts.map { [$0.namespace, $0.name] } == [["ci", "builder"]])
        #expect(result.cluster.serviceAccounts.first?.automountServiceAccountToken == false)
        #expect(result.cluster.serviceAccounts.first?.secrets == ["builder-token-x", "builder-dockercfg"])
        #expect(result.cluster.serviceAccounts.first?.userName == "system:serviceaccount:ci:builder")
        #expect(result.cluster.namespaces.map(\.name) == ["ci"])
        #expect(result.cluster.namespaces.first?.labels == ["team": "platform"])
    }

    @Test("a non-boolean where a boolean belongs rejects the workload")
    func badBoolean() {
        let result = load("""
            apiVersion: v1
            kind: Pod
            metadata: {name: p}
            spec: {hostPID: maybe}
            ---

            """ + serviceAccountYAML("ok"), name: "bool.yaml")
        #expect(result.errors.contains("bool.yaml:4:17: error: spec.hostPID must be true or false, not \"maybe\""), "\(result.errors)")
        #expect(result.cluster.workloads.isEmpty)
        #expect(result.serviceAccountNames == ["default/ok"])
    }
}
