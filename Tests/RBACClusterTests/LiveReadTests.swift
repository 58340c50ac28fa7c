import FakeAPIServer
import Foundation
import NIOCore
import RBACCluster
import RBACCore
import RBACLoading
import Testing

/// Reading a cluster from a fake API server on loopback, over TLS with a CA made for the run.
@Suite("Live reads from a fake API server", .enabled(if: Certs.available, "openssl is not installed (make deps)"))
struct LiveReadTests {
    @Test("reads every kind as -f loads the same manifests, and secrets without values")
    func sameAsFiles() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig())
        #expect(read.gaps.isEmpty, "\(read.gaps)")
        #expect(read.diagnostics.isEmpty, "\(read.diagnostics)")
        let files = try ManifestLoader().load(yaml: smallWorld)
        var expected = files.cluster.withoutSources
        // Secrets: the live form has no annotations but the service-account ones.
        for i in expected.secrets.indices {
            expected.secrets[i].annotations = expected.secrets[i].annotations.filter { ClusterReader.keptSecretAnnotations.contains($0.key) }
        }
        let got = read.cluster.withoutSources
        #expect(Set(got.roles) == Set(expected.roles))
        #expect(Set(got.bindings) == Set(expected.bindings))
        #expect(Set(got.serviceAccounts) == Set(expected.serviceAccounts))
        #expect(Set(got.namespaces) == Set(expected.namespaces))
        #expect(Set(got.workloads) == Set(expected.workloads))
        #expect(Set(got.secrets) == Set(expected.secrets))
        #expect(got.secrets.first { $0.name == "app-token" }?.tokenServiceAccount == "app")
        // Nothing asked for secret bodies; nothing held a value.
        #expect(fx.server.violations.isEmpty, "\(fx.server.violations)")
        let secretRequests = fx.server.received.filter { $0.path.contains("/secrets") }
        #expect(secretRequests.allSatisfy { $0.accept.contains("as=Table") || $0.accept.contains("as=PartialObjectMetadataList") })
        #expect(secretRequests.contains { $0.path.contains("fieldSelector=type%3Dkubernetes.io%2Fservice-account-token") })
        for s in got.secrets { #expect(!s.annotations.keys.contains("kubectl.kubernetes.io/last-applied-configuration")) }
        // gzip was asked for, and bearer tokens were sent.
        #expect(fx.server.received.allSatisfy { $0.acceptEncoding.contains("gzip") && $0.authorization == "Bearer \(LiveFixture.token)" })
    }

    @Test("discovery feeds resource resolution: a CRD's plural, kind and short name")
    func discovery() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig())
        for typed in ["widgets", "wdg", "widget", "widgets.example.com"] {
            let r = APIResource.resolve(typed, in: read.resources)
            #expect(r.apiGroup == "example.com" && r.resource == "widgets" && r.known?.namespaced == true, "\(typed)")
        }
        #expect(APIResource.resolve("wdg").known == nil)  // files: the built-in table has no such name
        #expect(APIResource.resolve("users", in: read.resources).known != nil)  // virtual resources stay
    }

    @Test("lists page with limit and continue; every page is read", arguments: [1, 2, 500])
    func paging(pageSize: Int) async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        var o = ClusterReader.Options()
        o.pageSize = pageSize
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig(), options: o)
        #expect(read.cluster.namespaces.count == 2)
        #expect(read.cluster.bindings.count == 2)
        #expect(read.cluster.secrets.count == 2)
        let nsRequests = fx.server.received.filter { $0.path.hasPrefix("/api/v1/namespaces?") }
        #expect(nsRequests.count == (pageSize == 1 ? 2 : 1))
        #expect(nsRequests.allSatisfy { $0.path.contains("limit=\(pageSize)") })
        if pageSize == 1 { #expect(nsRequests[1].path.contains("continue=namespaces%3A1")) }
    }

    @Test("403 on one kind: the rest is read, and the gap says what and why")
    func forbidden() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        fx.server.faults.forbidden = ["clusterroles", "pods"]
        fx.server.faults.forbiddenSecretNamespaces = ["dev"]
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig())
        #expect(read.cluster.roles.map(\.name) == ["pod-exec"])
        #expect(read.cluster.workloads.allSatisfy { $0.kind != "Pod" })
        #expect(read.cluster.bindings.count == 2)
        #expect(Set(read.gaps.map(\.resource)) == ["clusterroles", "pods", "secrets"])
        #expect(read.gaps.first { $0.resource == "clusterroles" }?.status == 403)
        #expect(read.gaps.first { $0.resource == "secrets" }?.namespace == "dev")
        #expect(read.gaps.first { $0.resource == "clusterroles" }!.reason.contains("cannot list resource \"clusterroles\""))
        #expect(!read.rbacComplete)
    }

    @Test("429 and 500 are retried, honouring Retry-After; a broken-off or garbled page is read again")
    func retries() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        fx.server.faults.failures = ["clusterroles": [429, 500, 503], "rolebindings": [429]]
        fx.server.faults.retryAfter = "1"
        fx.server.faults.truncate = ["serviceaccounts": 2]
        let clock = ContinuousClock()
        let start = clock.now
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig(), options: LiveFixture.quickOptions)
        let elapsed = clock.now - start
        #expect(read.gaps.isEmpty, "\(read.gaps)")
        #expect(read.cluster.roles.contains { $0.name == "secret-reader" })
        #expect(read.cluster.serviceAccounts.count == 1)
        #expect(fx.server.received.filter { $0.path.hasPrefix("/apis/rbac.authorization.k8s.io/v1/clusterroles?") }.count == 4)
        #expect(fx.server.received.filter { $0.path.hasPrefix("/api/v1/serviceaccounts?") }.count == 3)
        #expect(elapsed >= .seconds(1))  // Retry-After: 1 was waited for
    }

    @Test("a kind that keeps failing becomes a gap after the last attempt")
    func persistentFailure() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        fx.server.faults.failures = ["deployments": Array(repeating: 500, count: 10)]
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig(), options: LiveFixture.quickOptions)
        let gap = try #require(read.gaps.first)
        #expect(read.gaps.count == 1)
        #expect(gap.resource == "deployments" && gap.status == 500 && gap.reason.contains("after 5 attempts"))
        #expect(read.rbacComplete)
    }

    @Test("410 Gone on an expired continue token restarts that list from the start")
    func expiredContinue() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        fx.server.faults.expireContinue = ["namespaces"]
        var o = ClusterReader.Options()
        o.pageSize = 1
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig(), options: o)
        #expect(read.gaps.isEmpty)
        #expect(read.cluster.namespaces.map(\.name).sorted() == ["dev", "prod"])  // once each
        let paths = fx.server.received.filter { $0.path.hasPrefix("/api/v1/namespaces?") }.map(\.path)
        #expect(paths.count == 4)  // page 1, 410, page 1 again, page 2
        #expect(!paths[2].contains("continue="))
    }

    @Test("slow responses are read as they come; a stalled one times out and is retried")
    func slow() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        fx.server.chunkSize = 64
        fx.server.faults.slowChunks = ["clusterroles": .milliseconds(5)]
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig())
        #expect(read.gaps.isEmpty)
        #expect(read.cluster.roles.count == 2)

        fx.server.faults.slowChunks = ["clusterroles": .seconds(3)]
        var o = LiveFixture.quickOptions
        o.maxAttempts = 2
        let stalled = try await fx.read(kubeconfig: try fx.tokenKubeconfig(), options: o, timeout: .milliseconds(500))
        #expect(stalled.gaps.map(\.resource) == ["clusterroles"])
        #expect(stalled.gaps.first?.reason.contains("after 2 attempts") == true)
    }

    @Test("without gzip the same objects arrive")
    func noGzip() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        fx.server.gzip = false
        let read = try await fx.read(kubeconfig: try fx.tokenKubeconfig())
        #expect(read.gaps.isEmpty && read.cluster.objectCount == 12)
    }

    @Test("client certificate authentication, from files and from inline data")
    func clientCertificate() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld), tokens: [], clientCertificates: true)
        let files = try fx.kubeconfig(user: "client-certificate: \(fx.certs.clientCertificateFile)\nclient-key: \(fx.certs.clientKeyFile)")
        let read = try await fx.read(kubeconfig: files)
        #expect(read.gaps.isEmpty && read.cluster.roles.count == 2)
        #expect(fx.server.received.allSatisfy { $0.clientCertificate && $0.authorization == nil })
        let b64 = { (b: [UInt8]) in Data(b).base64EncodedString() }
        let inline = try fx.kubeconfig(
            user: "client-certificate-data: \(b64(fx.certs.clientCertificatePEM))\nclient-key-data: \(b64(fx.certs.clientKeyPEM))", name: "inline")
        #expect(try await fx.read(kubeconfig: inline).cluster.roles.count == 2)
        // No certificate: 401 stops the read with a message that says what to check.
        let none = try fx.kubeconfig(user: "{}", name: "none")
        await #expect {
            _ = try await fx.read(kubeconfig: none)
        } throws: { error in
            "\(error)".contains("401 Unauthorized") && "\(error)".contains("kubectl get --raw /api")
        }
    }

    @Test("TLS: the kubeconfig's CA only; tls-server-name; insecure-skip-tls-verify warns")
    func tls() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let otherCA = "\(fx.dir)/other-ca.crt"
        try Data(fx.certs.otherCAPEM).write(to: URL(fileURLWithPath: otherCA))
        let wrong = try fx.kubeconfig(user: "token: \(LiveFixture.token)", cluster: "", name: "wrong")
        try String(contentsOfFile: wrong, encoding: .utf8).replacingOccurrences(of: fx.certs.caFile, with: otherCA)
            .write(toFile: wrong, atomically: true, encoding: .utf8)
        await #expect {
            _ = try await fx.read(kubeconfig: wrong, options: LiveFixture.quickOptions, timeout: .seconds(3))
        } throws: { error in "\(error)".contains("TLS handshake failed") }

        let named = try fx.kubeconfig(user: "token: \(LiveFixture.token)", cluster: "tls-server-name: \(TestCertificates.extraServerName)", name: "named")
        #expect(try await fx.read(kubeconfig: named).gaps.isEmpty)

        let insecure = try fx.kubeconfig(user: "token: \(LiveFixture.token)", cluster: "", name: "insecure")
        try String(contentsOfFile: insecure, encoding: .utf8)
            .replacingOccurrences(of: "certificate-authority: \(fx.certs.caFile)", with: "insecure-skip-tls-verify: true")
            .write(toFile: insecure, atomically: true, encoding: .utf8)
        let config = try KubeconfigLoader(explicitPath: insecure, environment: [:]).resolve()
        let transport = try HTTPTransport(config, environment: [:])
        #expect(transport.warnings.count == 1 && transport.warnings[0].contains("insecure-skip-tls-verify"))
        await transport.shutdown()
        #expect(try await fx.read(kubeconfig: insecure).gaps.isEmpty)
    }

    @Test("tokenFile is read again when the token rotates, within one connection's life")
    func tokenFileRotation() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld), tokens: ["first", "second"])
        let tokenPath = "\(fx.dir)/token"
        try "first\n".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        let kc = try fx.kubeconfig(user: "tokenFile: \(tokenPath)")
        let transport = try HTTPTransport(try KubeconfigLoader(explicitPath: kc, environment: [:]).resolve(), environment: [:])
        #expect(try await transport.send(APIRequest(path: "/api")).status == 200)
        #expect(fx.server.received.last?.authorization == "Bearer first")
        try "second\n".write(toFile: tokenPath, atomically: true, encoding: .utf8)
        #expect(try await transport.send(APIRequest(path: "/api")).status == 200)
        #expect(fx.server.received.last?.authorization == "Bearer second")
        await transport.shutdown()
    }

    /// An exec plugin: a shell script that counts its runs and prints what `body` says.
    static func plugin(_ fx: LiveFixture, name: String, body: String) throws -> String {
        let path = "\(fx.dir)/\(name)"
        try "#!/bin/sh\necho run >> \(fx.dir)/\(name).runs\n\(body)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
        return path
    }

    static func runs(_ fx: LiveFixture, _ name: String) -> Int {
        ((try? String(contentsOfFile: "\(fx.dir)/\(name).runs", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    static func execUser(_ command: String, version: String = "v1", extra: String = "") -> String {
        """
        exec:
          apiVersion: client.authentication.k8s.io/\(version)
          command: \(command)
          args: [--token, \(LiveFixture.token)]
          env: [{name: PLUGIN_GREETING, value: hello}]
          provideClusterInfo: true
          interactiveMode: Never
        \(extra)
        """
    }

    @Test("exec plugin (v1 and v1beta1): args, env, KUBERNETES_EXEC_INFO with the cluster; cached until expirationTimestamp",
          arguments: ["v1", "v1beta1"])
    func execPlugin(version: String) async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let cached = try Self.plugin(fx, name: "cached-\(version)", body: """
            [ "$PLUGIN_GREETING" = hello ] || exit 7
            echo "$KUBERNETES_EXEC_INFO" > \(fx.dir)/exec-info-\(version).json
            echo '{"apiVersion":"client.authentication.k8s.io/\(version)","kind":"ExecCredential","status":{"token":"'$2'","expirationTimestamp":"2999-01-01T00:00:00Z"}}'
            """)
        let read = try await fx.read(kubeconfig: try fx.kubeconfig(user: Self.execUser(cached, version: version)))
        #expect(read.gaps.isEmpty)
        #expect(Self.runs(fx, "cached-\(version)") == 1)  // one run for every request of the read
        let info = try JSONValue.parse(String(contentsOfFile: "\(fx.dir)/exec-info-\(version).json", encoding: .utf8))
        #expect(info["kind"]?.stringValue == "ExecCredential")
        #expect(info["apiVersion"]?.stringValue == "client.authentication.k8s.io/\(version)")
        #expect(info["spec"]?["interactive"] == .bool(false))
        #expect(info["spec"]?["cluster"]?["server"]?.stringValue == fx.server.url)
        #expect(info["spec"]?["cluster"]?["certificate-authority-data"]?.stringValue == Data(fx.certs.caPEM).base64EncodedString())

        let expired = try Self.plugin(fx, name: "expired-\(version)", body: """
            echo '{"apiVersion":"client.authentication.k8s.io/\(version)","kind":"ExecCredential","status":{"token":"'$2'","expirationTimestamp":"2000-01-01T00:00:00Z"}}'
            """)
        var o = ClusterReader.Options()
        o.readSecrets = false
        let before = fx.server.received.count
        _ = try await fx.read(kubeconfig: try fx.kubeconfig(user: Self.execUser(expired, version: version), name: "expired"), options: o)
        let requests = fx.server.received.count - before
        #expect(requests > 10)
        #expect(Self.runs(fx, "expired-\(version)") == requests)  // an expired credential is asked for again each time
    }

    @Test("exec plugin failures are authentication errors that say what happened", arguments: [
        ("fails", "echo 'plugin: not logged in' >&2; exit 3", "failed with exit status 3"),
        ("garbage", "echo 'hello, I am not JSON'", "printed something that is not an ExecCredential"),
        ("wrong-kind", "echo '{\"kind\":\"Secret\",\"apiVersion\":\"client.authentication.k8s.io/v1\"}'", "kind must be ExecCredential"),
        ("empty", "echo '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"status\":{}}'", "neither a token nor a client certificate"),
        ("bad-time", "echo '{\"kind\":\"ExecCredential\",\"apiVersion\":\"client.authentication.k8s.io/v1\",\"status\":{\"token\":\"t\",\"expirationTimestamp\":\"soon\"}}'", "not an RFC 3339 time"),
    ])
    func execFailures(_ name: String, _ body: String, _ message: String) async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let plugin = try Self.plugin(fx, name: name, body: body)
        let kc = try fx.kubeconfig(user: Self.execUser(plugin, extra: "  installHint: install the fake plugin"))
        await #expect {
            _ = try await fx.read(kubeconfig: kc)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    @Test("a missing exec plugin names its installHint")
    func execMissing() async throws {
        let fx = try LiveFixture(world: try LiveFixture.world(smallWorld))
        let kc = try fx.kubeconfig(user: Self.execUser("no-such-plugin-\(UUID().uuidString.prefix(6))", extra: "  installHint: brew install the-plugin"))
        await #expect {
            _ = try await fx.read(kubeconfig: kc)
        } throws: { error in
            "\(error)".contains("brew install the-plugin")
        }
    }
}
