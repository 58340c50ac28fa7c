import Foundation
import RBACCluster
import Testing

/// Finding the kubeconfig and the context as kubectl does.
@Suite("Kubeconfig: files, merging, contexts and credentials")
struct KubeconfigTests {
    /// Writes files into a new folder; returns the folder.
    static func files(_ contents: [String: String]) throws -> String {
        let dir = try Where.tempDir()
        for (name, text) in contents {
            let path = "\(dir)/\(name)"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        return dir
    }

    static let a = """
        apiVersion: v1
        kind: Config
        current-context: ctx-a
        clusters:
        - name: shared
          cluster: {server: "https://a.example:6443", certificate-authority: certs/ca.crt, tls-server-name: api.a}
        - name: only-a
          cluster: {server: "https://only-a:443", insecure-skip-tls-verify: true, proxy-url: "http://proxy:3128"}
        contexts:
        - name: ctx-a
          context: {cluster: shared, user: token-user, namespace: team-a}
        - name: both
          context: {cluster: shared, user: token-user}
        users:
        - name: token-user
          user: {token: from-a, tokenFile: tokens/t}
        - name: cert-user
          user: {client-certificate: c.crt, client-key: /abs/c.key}
        """

    static let b = """
        apiVersion: v1
        kind: Config
        current-context: ctx-b
        clusters:
        - name: shared
          cluster: {server: "https://b.example:6443"}
        contexts:
        - name: ctx-b
          context: {cluster: shared, user: exec-user}
        - name: both
          context: {cluster: only-a, user: exec-user}
        users:
        - name: exec-user
          user:
            exec:
              apiVersion: client.authentication.k8s.io/v1
              command: ./bin/get-token
              args: [--cluster, b]
              env: [{name: REGION, value: eu}]
              provideClusterInfo: true
              interactiveMode: Never
        """

    @Test("KUBECONFIG merges by kubectl's rule: the first file to set a name or current-context wins")
    func mergeFirstWins() throws {
        let dir = try Self.files(["a/config": Self.a, "b/config": Self.b])
        let env = ["KUBECONFIG": "\(dir)/a/config:\(dir)/missing:\(dir)/b/config", "HOME": dir]
        let loader = KubeconfigLoader(environment: env)
        #expect(try loader.files() == ["\(dir)/a/config", "\(dir)/b/config"])  // the missing file is skipped
        let merged = Kubeconfig.merge(try loader.files().map { try Kubeconfig.read(file: $0) })
        #expect(merged.currentContext == "ctx-a")
        #expect(merged.clusters["shared"]?.server == "https://a.example:6443")  // a's, not b's
        #expect(merged.contexts["both"]?.cluster == "shared")  // a's
        #expect(merged.contexts["ctx-b"]?.user == "exec-user")  // only in b
        // Relative paths are resolved against the folder of the file that holds them.
        #expect(merged.clusters["shared"]?.certificateAuthority == "\(dir)/a/certs/ca.crt")
        #expect(merged.users["token-user"]?.tokenFile == "\(dir)/a/tokens/t")
        #expect(merged.users["cert-user"]?.clientCertificate == "\(dir)/a/c.crt")
        #expect(merged.users["cert-user"]?.clientKey == "/abs/c.key")
        #expect(merged.users["exec-user"]?.exec?.command == "\(dir)/b/bin/get-token")

        // Reversed order: b wins.
        let reversed = KubeconfigLoader(environment: ["KUBECONFIG": "\(dir)/b/config:\(dir)/a/config"])
        let m2 = Kubeconfig.merge(try reversed.files().map { try Kubeconfig.read(file: $0) })
        #expect(m2.currentContext == "ctx-b")
        #expect(m2.clusters["shared"]?.server == "https://b.example:6443")
    }

    @Test("--context picks a context; its cluster's TLS settings and its user's exec plugin come along")
    func contextSelection() throws {
        let dir = try Self.files(["a/config": Self.a, "b/config": Self.b])
        let merged = Kubeconfig.merge([try Kubeconfig.read(file: "\(dir)/b/config"), try Kubeconfig.read(file: "\(dir)/a/config")])
        let c = try KubeconfigLoader.connection(merged, context: "both")
        #expect(c.server == "https://only-a:443")
        #expect(c.insecureSkipTLSVerify)
        #expect(c.proxyURL == "http://proxy:3128")
        let exec = try #require(c.credentials.exec)
        #expect(exec.args == ["--cluster", "b"])
        #expect(exec.env.map(\.name) == ["REGION"])
        #expect(exec.provideClusterInfo)
        #expect(exec.interactiveMode == .never)
        #expect(c.origin.contains("context \"both\""))
    }

    @Test("token, tokenFile and the context's namespace")
    func tokenUser() throws {
        let dir = try Self.files(["a/config": Self.a, "a/certs/ca.crt": "CA", "a/tokens/t": "file-token\n"])
        let c = try KubeconfigLoader(explicitPath: "\(dir)/a/config", environment: [:]).resolve()
        #expect(c.server == "https://a.example:6443")
        #expect(c.tlsServerName == "api.a")
        #expect(c.certificateAuthorityPEM == Array("CA".utf8))
        #expect(c.credentials.token == "from-a")
        #expect(c.credentials.tokenFile == "\(dir)/a/tokens/t")
        #expect(c.namespace == "team-a")
    }

    @Test("clear errors", arguments: [
        ("missing context", "current-context: nope\nclusters: []\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nusers: []",
         "context \"nope\" does not exist (contexts: x)"),
        ("no current-context", "clusters: [{name: c, cluster: {server: 'https://x'}}]\ncontexts: [{name: x, context: {cluster: c}}]",
         "current-context is not set"),
        ("context names a missing cluster", "current-context: x\ncontexts: [{name: x, context: {cluster: gone, user: u}}]",
         "names cluster \"gone\", which is not defined"),
        ("auth-provider", "current-context: x\nclusters: [{name: c, cluster: {server: 'https://x'}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {auth-provider: {name: gcp}}}]",
         "auth-provider \"gcp\", which kubectl removed in 1.26: switch the user to an exec credential plugin"),
        ("basic auth", "current-context: x\nclusters: [{name: c, cluster: {server: 'https://x'}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {username: admin, password: hunter2}}]",
         "username/password (basic auth)"),
        ("certificate without key", "current-context: x\nclusters: [{name: c, cluster: {server: 'https://x'}}]\ncontexts: [{name: x, context: {cluster: c, user: u}}]\nusers: [{name: u, user: {client-certificate-data: Zm9v}}]",
         "needs both the certificate and the key"),
        ("bad base64", "current-context: x\nclusters: [{name: c, cluster: {server: 'https://x', certificate-authority-data: '%%%'}}]",
         "certificate-authority-data is not valid base64"),
    ])
    func errors(_ name: String, _ text: String, _ message: String) throws {
        let dir = try Self.files(["config": text])
        #expect {
            _ = try KubeconfigLoader(explicitPath: "\(dir)/config", environment: [:]).resolve()
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("--kubeconfig must exist; with no kubeconfig at all and not in a pod, say how to go on")
    func nothingToRead() throws {
        let dir = try Where.tempDir()
        #expect(throws: ClusterError.kubeconfig("\(dir)/nope: no such kubeconfig file (--kubeconfig)")) {
            _ = try KubeconfigLoader(explicitPath: "\(dir)/nope", environment: [:]).resolve()
        }
        #expect {
            _ = try KubeconfigLoader(environment: ["HOME": dir]).resolve()
        } throws: { error in
            "\(error)".contains("no kubeconfig found") && "\(error)".contains("-f PATH")
        }
    }

    @Test("in a pod with no kubeconfig: KUBERNETES_SERVICE_HOST/PORT, the token file and the CA")
    func inCluster() throws {
        let root = try Self.files(["token": "pod-token", "ca.crt": "PEM", "namespace": "ops\n"])
        var loader = KubeconfigLoader(environment: ["HOME": root, "KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"])
        loader.inClusterRoot = root
        let c = try loader.resolve()
        #expect(c.server == "https://[fd00::1]:443")
        #expect(c.credentials.tokenFile == "\(root)/token")
        #expect(c.credentials.token == nil)
        #expect(c.certificateAuthorityPEM == Array("PEM".utf8))
        #expect(c.namespace == "ops")
    }
}
