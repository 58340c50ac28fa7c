import Testing
import RBACCore

/// The eval protocol answers a query it cannot answer with `{"id": …, "error": "…"}`: each
/// reason is a case of ``QueryEvaluator/QueryError``, its message the answer's text.
@Suite("eval: query errors")
struct QueryErrorTests {
    static let evaluator = QueryEvaluator(graph: AccessGraph(Cluster()))

    static let cases: [(query: String, error: QueryEvaluator.QueryError, message: String)] = [
        (#"{"id":1}"#, .missingOp, "missing op"),
        (#"{"id":1,"op":"bogus"}"#, .unknownOp("bogus"), #"unknown op "bogus""#),
        (#"{"id":1,"op":"authorize","user":"a"}"#, .missingVerb, "missing verb"),
        (#"{"id":1,"op":"role-rules"}"#, .missingField(op: "role-rules", field: "name"), "role-rules needs name"),
        (#"{"id":1,"op":"role-rules","name":"x"}"#, .roleNotFound(kind: "ClusterRole", name: "x"), #"clusterrole "x" not found"#),
        (#"{"id":1,"op":"paths","from":"alice"}"#, .missingPathStart, "paths needs from: user:NAME, group:NAME or sa:NS/NAME"),
        (#"{"id":1,"op":"paths","from":"user:a","to":"nowhere:x"}"#, .unreadableTarget("nowhere:x"), #"cannot read the target "nowhere:x": a target is "# + PathTarget.everySyntax),
        (#"{"id":1,"op":"authorize","verb":"get","serviceAccount":"api"}"#, .malformedServiceAccount, "serviceAccount must be NAMESPACE/NAME"),
        (#"{"id":1,"op":"create-role"}"#, .missingField(op: "create-role", field: "object"), "create-role needs object"),
        (#"{"id":1,"op":"create-role","object":{"kind":"Role"}}"#, .noObjectDecoder(op: "create-role"), "create-role is not available: no object decoder"),
    ]

    @Test("each reason, and the text the answer carries", arguments: cases)
    func errors(_ c: (query: String, error: QueryEvaluator.QueryError, message: String)) {
        #expect(c.error.message == c.message)
        #expect(Self.evaluator.answer(line: c.query) == #"{"id":1,"error":"# + jsonString(c.message) + "}")
    }

    private func jsonString(_ s: String) -> String { JSONValue.string(s).serialized() }
}
