// JSON numbers (found by `make fuzz`: `-3e1111…` parsed to -infinity, which serialised as
// `-inf`, not JSON). Numbers follow RFC 8259's grammar, and one too large for a double is an
// error, as in Go's encoding/json; what parses serialises to JSON that parses back equal.

import RBACCore
import Testing

@Suite("JSON: numbers")
struct JSONNumberTests {
    @Test(
        "numbers of RFC 8259's grammar parse, and serialise to JSON that parses back equal",
        arguments: [
            ("0", 0.0), ("-0", 0.0), ("12", 12.0), ("-12", -12.0), ("2.5", 2.5), ("1e3", 1000.0),
            ("1E+3", 1000.0), ("25e-1", 2.5), ("1.7976931348623157e308", 1.7976931348623157e308),
            ("4.9406564584124654e-324", Double.leastNonzeroMagnitude), ("1e-400", 0.0),
        ])
    func valid(json: String, expected: Double) throws {
        let value = try JSONValue.parse(json)
        #expect(value == .number(expected))
        #expect(try JSONValue.parse(value.serialized()) == value)
    }

    @Test(
        "anything else is an error, a number too large for a double included",
        arguments: ["-3e111111111111", "1e400", "-1e309", "+1", "01", "-", "1.", ".5", "1e", "1e+", "--1", "1.2.3", "0x10"])
    func invalid(json: String) {
        #expect(throws: JSONParseError.self) { try JSONValue.parse(json) }
    }

    @Test("a computed infinity or NaN serialises as null, never as a word JSON lacks")
    func nonFinite() throws {
        let value = JSONValue.array([.number(.infinity), .number(-.infinity), .number(.nan), .number(1)])
        #expect(value.serialized() == "[null,null,null,1]")
        #expect(try JSONValue.parse(value.serialized()) == .array([.null, .null, .null, .number(1)]))
    }
}
