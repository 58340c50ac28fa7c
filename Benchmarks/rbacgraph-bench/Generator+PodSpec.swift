// The dump generator's pod specs: containers, volumes, and their YAML and JSON forms.

import Foundation

extension DumpGenerator {
    enum EnvSource {
        case value(String)
        case secret(String, String)
        case configMap(String, String)
        case field(String)
    }

    struct Container {
        var name: String
        var image: String
        var port: Int?
        var env: [(String, EnvSource)]
        var mounts: [(volume: String, path: String, readOnly: Bool)]
        var cpu: (String, String)
        var memory: (String, String)
        var probe: Bool
    }

    enum Volume {
        case secret(String, String)
        case configMap(String, String)
        case emptyDir(String)

        var name: String {
            switch self {
            case .secret(let n, _), .configMap(let n, _), .emptyDir(let n): return n
            }
        }
    }

    struct PodSpec {
        var serviceAccount: String
        var containers: [Container]
        var volumes: [Volume]
    }

    static let qos = "Burstable"

    /// `spec:` content of a pod (at depth `d`). `runtime` adds what the API server and the
    /// scheduler fill in on a Pod (node, token volume, tolerations).
    static func podSpecYAML(_ y: inout YAMLText, _ p: PodSpec, _ d: Int, runtime: (node: String, tokenVolume: String)?) {
        y.l(d, "containers:")
        for c in p.containers {
            var first = true
            func key(_ k: String) {
                y.l(d, (first ? "- " : "  ") + k)
                first = false
            }
            if !c.env.isEmpty {
                key("env:")
                for (n, src) in c.env {
                    y.l(d + 2, "- name: \(n)")
                    switch src {
                    case .value(let v): y.kv(d + 4, "value", v)
                    case .secret(let s, let k):
                        y.l(d + 4, "valueFrom:")
                        y.l(d + 6, "secretKeyRef:")
                        y.l(d + 8, "key: \(k)")
                        y.l(d + 8, "name: \(s)")
                    case .configMap(let s, let k):
                        y.l(d + 4, "valueFrom:")
                        y.l(d + 6, "configMapKeyRef:")
                        y.l(d + 8, "key: \(k)")
                        y.l(d + 8, "name: \(s)")
                    case .field(let f):
                        y.l(d + 4, "valueFrom:")
                        y.l(d + 6, "fieldRef:")
                        y.l(d + 8, "apiVersion: v1")
                        y.l(d + 8, "fieldPath: \(f)")
                    }
                }
            }
            key("image: \(c.image)")
            key("imagePullPolicy: IfNotPresent")
            if c.probe, let port = c.port {
                key("livenessProbe:")
                y.l(d + 4, "failureThreshold: 3")
                y.l(d + 4, "httpGet:")
                y.l(d + 6, "path: /healthz")
                y.l(d + 6, "port: \(port)")
                y.l(d + 6, "scheme: HTTP")
                y.l(d + 4, "initialDelaySeconds: 10")
                y.l(d + 4, "periodSeconds: 10")
                y.l(d + 4, "successThreshold: 1")
                y.l(d + 4, "timeoutSeconds: 1")
            }
            key("name: \(c.name)")
            if let port = c.port {
                key("ports:")
                y.l(d + 2, "- containerPort: \(port)")
                y.l(d + 4, "name: http")
                y.l(d + 4, "protocol: TCP")
            }
            if c.probe, let port = c.port {
                key("readinessProbe:")
                y.l(d + 4, "failureThreshold: 3")
                y.l(d + 4, "httpGet:")
                y.l(d + 6, "path: /ready")
                y.l(d + 6, "port: \(port)")
                y.l(d + 6, "scheme: HTTP")
                y.l(d + 4, "periodSeconds: 5")
                y.l(d + 4, "successThreshold: 1")
                y.l(d + 4, "timeoutSeconds: 1")
            }
            key("resources:")
            y.l(d + 4, "limits:")
            y.l(d + 6, "cpu: \(c.cpu.1)")
            y.l(d + 6, "memory: \(c.memory.1)")
            y.l(d + 4, "requests:")
            y.l(d + 6, "cpu: \(c.cpu.0)")
            y.l(d + 6, "memory: \(c.memory.0)")
            key("securityContext:")
            y.l(d + 4, "allowPrivilegeEscalation: false")
            y.l(d + 4, "readOnlyRootFilesystem: true")
            y.l(d + 4, "runAsNonRoot: true")
            key("terminationMessagePath: /dev/termination-log")
            key("terminationMessagePolicy: File")
            var mounts = c.mounts
            if let runtime { mounts.append((runtime.tokenVolume, "/var/run/secrets/kubernetes.io/serviceaccount", true)) }
            if !mounts.isEmpty {
                key("volumeMounts:")
                for m in mounts {
                    y.l(d + 2, "- mountPath: \(m.path)")
                    y.l(d + 4, "name: \(m.volume)")
                    if m.readOnly { y.l(d + 4, "readOnly: true") }
                }
            }
        }
        y.l(d, "dnsPolicy: ClusterFirst")
        if runtime != nil { y.l(d, "enableServiceLinks: true") }
        if let runtime { y.l(d, "nodeName: \(runtime.node)") }
        if runtime != nil {
            y.l(d, "preemptionPolicy: PreemptLowerPriority")
            y.l(d, "priority: 0")
        }
        y.l(d, "restartPolicy: Always")
        y.l(d, "schedulerName: default-scheduler")
        y.l(d, "securityContext:")
        y.l(d + 2, "fsGroup: 2000")
        y.l(d + 2, "runAsUser: 1000")
        if runtime != nil { y.l(d, "serviceAccount: \(p.serviceAccount)") }
        y.l(d, "serviceAccountName: \(p.serviceAccount)")
        y.l(d, "terminationGracePeriodSeconds: 30")
        if runtime != nil {
            y.l(d, "tolerations:")
            for key in ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"] {
                y.l(d, "- effect: NoExecute")
                y.l(d + 2, "key: \(key)")
                y.l(d + 2, "operator: Exists")
                y.l(d + 2, "tolerationSeconds: 300")
            }
        }
        var volumes = p.volumes
        if let runtime { volumes.append(.emptyDir("__token__" + runtime.tokenVolume)) }
        if !volumes.isEmpty {
            y.l(d, "volumes:")
            for v in volumes {
                switch v {
                case .secret(let n, let s):
                    y.l(d, "- name: \(n)")
                    y.l(d + 2, "secret:")
                    y.l(d + 4, "defaultMode: 420")
                    y.l(d + 4, "secretName: \(s)")
                case .configMap(let n, let c):
                    y.l(d, "- configMap:")
                    y.l(d + 4, "defaultMode: 420")
                    y.l(d + 4, "name: \(c)")
                    y.l(d + 2, "name: \(n)")
                case .emptyDir(let n) where n.hasPrefix("__token__"):
                    y.l(d, "- name: \(n.dropFirst(9))")
                    y.l(d + 2, "projected:")
                    y.l(d + 4, "defaultMode: 420")
                    y.l(d + 4, "sources:")
                    y.l(d + 4, "- serviceAccountToken:")
                    y.l(d + 8, "expirationSeconds: 3607")
                    y.l(d + 8, "path: token")
                    y.l(d + 4, "- configMap:")
                    y.l(d + 8, "items:")
                    y.l(d + 8, "- key: ca.crt")
                    y.l(d + 10, "path: ca.crt")
                    y.l(d + 8, "name: kube-root-ca.crt")
                    y.l(d + 4, "- downwardAPI:")
                    y.l(d + 8, "items:")
                    y.l(d + 8, "- fieldRef:")
                    y.l(d + 12, "apiVersion: v1")
                    y.l(d + 12, "fieldPath: metadata.namespace")
                    y.l(d + 10, "path: namespace")
                case .emptyDir(let n):
                    y.l(d, "- emptyDir: {}")
                    y.l(d + 2, "name: \(n)")
                }
            }
        }
    }

    /// fieldsV1 of a pod spec (at depth `d`), as the owner of the spec records it.
    static func podSpecFields(_ y: inout YAMLText, _ p: PodSpec, _ d: Int) {
        y.l(d, "f:containers:")
        for c in p.containers {
            y.l(d + 2, "k:{\"name\":\"\(c.name)\"}:")
            let e = d + 4
            y.l(e, ".: {}")
            if !c.env.isEmpty {
                y.l(e, "f:env:")
                y.l(e + 2, ".: {}")
                for (n, src) in c.env {
                    y.l(e + 2, "k:{\"name\":\"\(n)\"}:")
                    y.l(e + 4, ".: {}")
                    y.l(e + 4, "f:name: {}")
                    switch src {
                    case .value: y.l(e + 4, "f:value: {}")
                    case .secret, .configMap, .field:
                        y.l(e + 4, "f:valueFrom:")
                        y.l(e + 6, ".: {}")
                        switch src {
                        case .secret: y.l(e + 6, "f:secretKeyRef: {}")
                        case .configMap: y.l(e + 6, "f:configMapKeyRef: {}")
                        default:
                            y.l(e + 6, "f:fieldRef: {}")
                        }
                    }
                }
            }
            y.l(e, "f:image: {}")
            y.l(e, "f:imagePullPolicy: {}")
            if c.probe {
                for probe in ["f:livenessProbe:", "f:readinessProbe:"] {
                    y.l(e, probe)
                    y.l(e + 2, ".: {}")
                    y.l(e + 2, "f:failureThreshold: {}")
                    y.l(e + 2, "f:httpGet:")
                    y.l(e + 4, ".: {}")
                    y.l(e + 4, "f:path: {}")
                    y.l(e + 4, "f:port: {}")
                    y.l(e + 4, "f:scheme: {}")
                    y.l(e + 2, "f:periodSeconds: {}")
                    y.l(e + 2, "f:successThreshold: {}")
                    y.l(e + 2, "f:timeoutSeconds: {}")
                }
            }
            y.l(e, "f:name: {}")
            if let port = c.port {
                y.l(e, "f:ports:")
                y.l(e + 2, ".: {}")
                y.l(e + 2, "k:{\"containerPort\":\(port),\"protocol\":\"TCP\"}:")
                y.l(e + 4, ".: {}")
                y.l(e + 4, "f:containerPort: {}")
                y.l(e + 4, "f:name: {}")
                y.l(e + 4, "f:protocol: {}")
            }
            y.l(e, "f:resources:")
            y.l(e + 2, ".: {}")
            y.l(e + 2, "f:limits:")
            y.l(e + 4, ".: {}")
            y.l(e + 4, "f:cpu: {}")
            y.l(e + 4, "f:memory: {}")
            y.l(e + 2, "f:requests:")
            y.l(e + 4, ".: {}")
            y.l(e + 4, "f:cpu: {}")
            y.l(e + 4, "f:memory: {}")
            y.l(e, "f:securityContext:")
            y.l(e + 2, ".: {}")
            y.l(e + 2, "f:allowPrivilegeEscalation: {}")
            y.l(e + 2, "f:readOnlyRootFilesystem: {}")
            y.l(e + 2, "f:runAsNonRoot: {}")
            y.l(e, "f:terminationMessagePath: {}")
            y.l(e, "f:terminationMessagePolicy: {}")
            if !c.mounts.isEmpty {
                y.l(e, "f:volumeMounts:")
                y.l(e + 2, ".: {}")
                for m in c.mounts {
                    y.l(e + 2, "k:{\"mountPath\":\"\(m.path)\"}:")
                    y.l(e + 4, ".: {}")
                    y.l(e + 4, "f:mountPath: {}")
                    y.l(e + 4, "f:name: {}")
                    if m.readOnly { y.l(e + 4, "f:readOnly: {}") }
                }
            }
        }
        y.l(d, "f:dnsPolicy: {}")
        y.l(d, "f:restartPolicy: {}")
        y.l(d, "f:schedulerName: {}")
        y.l(d, "f:securityContext:")
        y.l(d + 2, ".: {}")
        y.l(d + 2, "f:fsGroup: {}")
        y.l(d + 2, "f:runAsUser: {}")
        y.l(d, "f:serviceAccount: {}")
        y.l(d, "f:serviceAccountName: {}")
        y.l(d, "f:terminationGracePeriodSeconds: {}")
        if !p.volumes.isEmpty {
            y.l(d, "f:volumes:")
            y.l(d + 2, ".: {}")
            for v in p.volumes {
                y.l(d + 2, "k:{\"name\":\"\(v.name)\"}:")
                y.l(d + 4, ".: {}")
                switch v {
                case .secret:
                    y.l(d + 4, "f:name: {}")
                    y.l(d + 4, "f:secret:")
                    y.l(d + 6, ".: {}")
                    y.l(d + 6, "f:defaultMode: {}")
                    y.l(d + 6, "f:secretName: {}")
                case .configMap:
                    y.l(d + 4, "f:configMap:")
                    y.l(d + 6, ".: {}")
                    y.l(d + 6, "f:defaultMode: {}")
                    y.l(d + 6, "f:name: {}")
                    y.l(d + 4, "f:name: {}")
                case .emptyDir:
                    y.l(d + 4, "f:emptyDir: {}")
                    y.l(d + 4, "f:name: {}")
                }
            }
        }
    }

    /// The pod spec as `kubectl apply` records it in last-applied-configuration.
    static func podSpecJSON(_ p: PodSpec) -> String {
        var cs: [String] = []
        for c in p.containers {
            var s = "{"
            if !c.env.isEmpty {
                s += "\"env\":["
                s += c.env.map { (n, src) -> String in
                    switch src {
                    case .value(let v): return "{\"name\":\"\(n)\",\"value\":\(YAMLText.json(v))}"
                    case .secret(let sn, let k): return "{\"name\":\"\(n)\",\"valueFrom\":{\"secretKeyRef\":{\"key\":\"\(k)\",\"name\":\"\(sn)\"}}}"
                    case .configMap(let cn, let k): return "{\"name\":\"\(n)\",\"valueFrom\":{\"configMapKeyRef\":{\"key\":\"\(k)\",\"name\":\"\(cn)\"}}}"
                    case .field(let f): return "{\"name\":\"\(n)\",\"valueFrom\":{\"fieldRef\":{\"fieldPath\":\"\(f)\"}}}"
                    }
                }.joined(separator: ",")
                s += "],"
            }
            s += "\"image\":\"\(c.image)\","
            if c.probe, let port = c.port {
                s += "\"livenessProbe\":{\"httpGet\":{\"path\":\"/healthz\",\"port\":\(port)},\"initialDelaySeconds\":10},"
            }
            s += "\"name\":\"\(c.name)\","
            if let port = c.port { s += "\"ports\":[{\"containerPort\":\(port),\"name\":\"http\"}]," }
            if c.probe, let port = c.port {
                s += "\"readinessProbe\":{\"httpGet\":{\"path\":\"/ready\",\"port\":\(port)},\"periodSeconds\":5},"
            }
            s += "\"resources\":{\"limits\":{\"cpu\":\"\(c.cpu.1)\",\"memory\":\"\(c.memory.1)\"},\"requests\":{\"cpu\":\"\(c.cpu.0)\",\"memory\":\"\(c.memory.0)\"}},"
            s += "\"securityContext\":{\"allowPrivilegeEscalation\":false,\"readOnlyRootFilesystem\":true,\"runAsNonRoot\":true}"
            if !c.mounts.isEmpty {
                s += ",\"volumeMounts\":[" + c.mounts.map { "{\"mountPath\":\"\($0.path)\",\"name\":\"\($0.volume)\"\($0.readOnly ? ",\"readOnly\":true" : "")}" }.joined(separator: ",") + "]"
            }
            cs.append(s + "}")
        }
        var s = "{\"containers\":[" + cs.joined(separator: ",") + "],\"securityContext\":{\"fsGroup\":2000,\"runAsUser\":1000},\"serviceAccountName\":\"\(p.serviceAccount)\""
        if !p.volumes.isEmpty {
            s += ",\"volumes\":[" + p.volumes.map { v -> String in
                switch v {
                case .secret(let n, let sn): return "{\"name\":\"\(n)\",\"secret\":{\"secretName\":\"\(sn)\"}}"
                case .configMap(let n, let c): return "{\"configMap\":{\"name\":\"\(c)\"},\"name\":\"\(n)\"}"
                case .emptyDir(let n): return "{\"emptyDir\":{},\"name\":\"\(n)\"}"
                }
            }.joined(separator: ",") + "]"
        }
        return s + "}"
    }
}
