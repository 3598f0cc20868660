import Testing

@testable import ModelCompiler

/// `YAMLNode.parse` over libyaml: scalar typing, structure, anchors and merge keys, locations and
/// errors.
@Suite struct YAMLNodeTests {
    static func parse(_ text: String, scalars: YAMLNode.ScalarTyping = .yaml11) throws -> YAMLNode {
        try YAMLNode.parse(text, file: "p.yml", scalars: scalars)
    }

    static func error(_ text: String) -> Diagnostic? {
        do {
            _ = try YAMLNode.parse(text, file: "p.yml")
            return nil
        } catch {
            return error.diagnostics.first
        }
    }

    static func at(_ line: Int, _ column: Int) -> ModelCompiler.SourceLocation {
        ModelCompiler.SourceLocation(file: "p.yml", line: line, column: column)
    }

    /// Each scalar as written after `v: `, and its value.
    static let scalars: [(String, JSONValue)] = [
        // null
        ("", .null), ("~", .null), ("null", .null), ("Null", .null), ("NULL", .null),
        ("nULL", .string("nULL")), ("'null'", .string("null")), ("\"~\"", .string("~")), ("''", .string("")),
        // bool: YAML 1.1 words in lower case, capitalized or upper case only
        ("true", .bool(true)), ("True", .bool(true)), ("TRUE", .bool(true)),
        ("false", .bool(false)), ("False", .bool(false)), ("FALSE", .bool(false)),
        ("yes", .bool(true)), ("Yes", .bool(true)), ("YES", .bool(true)),
        ("no", .bool(false)), ("No", .bool(false)), ("NO", .bool(false)),
        ("on", .bool(true)), ("On", .bool(true)), ("ON", .bool(true)),
        ("off", .bool(false)), ("Off", .bool(false)), ("OFF", .bool(false)),
        ("tRUE", .string("tRUE")), ("y", .string("y")), ("n", .string("n")), ("'true'", .string("true")),
        ("\"no\"", .string("no")),
        // int
        ("0", .int(0)), ("42", .int(42)), ("-17", .int(-17)), ("+5", .int(5)), ("-0", .int(0)),
        ("1_000", .int(1000)), ("0x1F", .int(31)), ("-0x10", .int(-16)), ("0o17", .int(15)), ("017", .int(15)),
        ("0b101", .int(5)), ("1:30", .int(90)), ("-1:30", .int(-90)), ("190:20:30", .int(685_230)),
        ("'42'", .string("42")), ("\"42\"", .string("42")), ("!!str 42", .string("42")),
        // float
        ("1.5", .double(1.5)), ("-2.5", .double(-2.5)), ("+2.5", .double(2.5)), ("1e3", .double(1000)),
        ("1.5E-3", .double(0.0015)), ("1e+5", .double(100_000)), (".5", .double(0.5)), (".5e+3", .double(500)),
        ("1_000.5", .double(1000.5)), ("1.", .double(1)), ("09", .double(9)), ("1:30.5", .double(90.5)),
        ("99999999999999999999", .double(1e20)), (".inf", .double(.infinity)), ("+.inf", .double(.infinity)),
        ("-.inf", .double(-.infinity)), (".Inf", .double(.infinity)), ("-.INF", .double(-.infinity)),
        ("'1.5'", .string("1.5")),
        // string
        ("abc", .string("abc")), ("1.2.3", .string("1.2.3")), ("1e", .string("1e")), ("0x", .string("0x")),
        ("12abc", .string("12abc")), ("1:75", .string("1:75")), ("-.5", .string("-.5")), (".5e3", .string(".5e3")),
        ("-inf", .string("-inf")), ("2024-01-01", .string("2024-01-01")), ("café", .string("café")),
        ("hello world", .string("hello world")), ("<<x", .string("<<x")), ("'it''s'", .string("it's")),
        ("\"tab\\tnew\\nline\"", .string("tab\tnew\nline")), ("\"\\u00e9\"", .string("é")),
    ]

    @Test(arguments: scalars)
    func scalarTyping(written: String, value: JSONValue) throws {
        #expect(try Self.parse("v: \(written)\n")["v"]?.json == value, "v: \(written)")
    }

    @Test func notANumber() throws {
        for written in [".nan", ".NaN", ".NAN"] {
            guard case .double(let d)? = try Self.parse("v: \(written)")["v"]?.json else {
                Issue.record("\(written) is not a double")
                continue
            }
            #expect(d.isNaN)
        }
        #expect(try Self.parse("v: -.nan")["v"]?.json == .string("-.nan"))
    }

    @Test func textTypingKeepsScalarsAsWritten() throws {
        let node = try Self.parse("a: 0123\nb: yes\nc: ~\nd:\ne: 'q'\n", scalars: .text)
        #expect(
            node.json
                == .object([
                    "a": .string("0123"), "b": .string("yes"), "c": .string("~"), "d": .string(""), "e": .string("q"),
                ]))
    }

    @Test func nestedMappingsAndSequences() throws {
        let node = try Self.parse(
            """
            models:
              - name: orders
                columns:
                  - name: id
                    tests: [unique, not_null]
                  - name: status
                    tests:
                      - accepted_values:
                          values: ['placed', 'shipped']
            """)
        let columns = node["models"]?.items?.first?["columns"]?.items
        #expect(columns?.count == 2)
        #expect(columns?[0]["tests"]?.json == .array([.string("unique"), .string("not_null")]))
        #expect(
            columns?[1]["tests"]?.items?.first?["accepted_values"]?["values"]?.json
                == .array([.string("placed"), .string("shipped")]))
        #expect(node.entries?.map(\.key) == ["models"])
    }

    @Test func flowStyle() throws {
        let node = try Self.parse("a: [x, 1, {z: true, w: [2, 3]}]\nb: {c: d, e: []}\n")
        #expect(
            node.json
                == .object([
                    "a": .array([.string("x"), .int(1), .object(["z": .bool(true), "w": .array([.int(2), .int(3)])])]),
                    "b": .object(["c": .string("d"), "e": .array([])]),
                ]))
    }

    @Test func blockScalarsAreStrings() throws {
        let node = try Self.parse(
            "lit: |\n  42\n  line2\nfold: >\n  one\n  two\n\n  three\nstrip: >-\n  true\nkeep: |+\n  x\n\n")
        #expect(node["lit"]?.json == .string("42\nline2\n"))
        #expect(node["fold"]?.json == .string("one two\nthree\n"))
        #expect(node["strip"]?.json == .string("true"))
        #expect(node["keep"]?.json == .string("x\n\n"))
    }

    @Test func aliasesYieldTheAnchoredNode() throws {
        let node = try Self.parse("a: &x hello\nb: *x\nc: &m {k: 1}\nd: *m\ne: &s [1, 2]\nf: *s\n")
        #expect(node["b"]?.json == .string("hello"))
        #expect(node["d"]?.json == .object(["k": .int(1)]))
        #expect(node["f"]?.json == .array([.int(1), .int(2)]))
        // The alias is the anchored node, with the anchored node's location.
        #expect(node["b"]?.location == Self.at(1, 4))
    }

    @Test func mergeKeys() throws {
        let node = try Self.parse(
            """
            base: &base {a: 1, b: 2}
            other: &other {b: 3, c: 4}
            one:
              <<: *base
              b: 9
            list:
              <<: [*base, *other]
              d: 5
            quoted:
              '<<': *base
            """)
        // The mapping's own keys win over merged ones, and earlier mappings of a list over later ones.
        #expect(node["one"]?.json == .object(["a": .int(1), "b": .int(9)]))
        #expect(node["one"]?.entries?.map(\.key) == ["a", "b"])
        #expect(node["list"]?.json == .object(["a": .int(1), "b": .int(2), "c": .int(4), "d": .int(5)]))
        #expect(node["list"]?.entries?.map(\.key) == ["a", "b", "c", "d"])
        // Merged entries keep where they were written.
        #expect(node["one"]?.entries?.first?.keyLocation == Self.at(1, 14))
        // A quoted '<<' is an ordinary key.
        #expect(node["quoted"]?.entries?.map(\.key) == ["<<"])
    }

    @Test func mergeOfAScalarIsAnError() {
        let error = Self.error("a: &a 1\nb:\n  <<: *a\n")
        #expect(error?.id == "yaml.merge")
        #expect(error?.message == "merge key '<<' needs a mapping or a list of mappings")
        #expect(error?.location == Self.at(1, 4))
    }

    @Test func locationsOfKeysAndValues() throws {
        let node = try Self.parse("name: shop\nmodels:\n  - name: a\n    tags: [x, y]\n")
        #expect(node.location == Self.at(1, 1))
        #expect(node.entries?[0].keyLocation == Self.at(1, 1))
        #expect(node["name"]?.location == Self.at(1, 7))
        #expect(node.entries?[1].keyLocation == Self.at(2, 1))
        let model = node["models"]?.items?.first
        #expect(node["models"]?.location == Self.at(3, 3))
        #expect(model?.location == Self.at(3, 5))
        #expect(model?.entries?[1].keyLocation == Self.at(4, 5))
        #expect(model?["tags"]?.location == Self.at(4, 11))
        #expect(model?["tags"]?.items?[1].location == Self.at(4, 15))
    }

    @Test func syntaxErrorHasLibyamlsMessageAndMark() {
        let error = Self.error("a:\n  b: [1, 2\n")
        #expect(error?.id == "yaml.syntax")
        #expect(error?.message == "invalid YAML: while parsing a flow sequence: did not find expected ',' or ']'")
        #expect(error?.location == Self.at(3, 1))
        let mapping = Self.error("a: b: c\n")
        #expect(mapping?.message == "invalid YAML: mapping values are not allowed in this context")
        #expect(mapping?.location == Self.at(1, 5))
    }

    @Test func controlCharacterIsAnErrorAtItsPlace() {
        let error = Self.error("a: 1\nb: x\u{1}\n")
        #expect(error?.id == "yaml.syntax")
        #expect(error?.message == "invalid YAML: control characters are not allowed")
        #expect(error?.location == Self.at(2, 5))
    }

    @Test func duplicateKeys() {
        let error = Self.error("x:\n  z: 1\n  y: 2\n  z: 3\n  y: 4\n")
        #expect(error?.id == "yaml.duplicate-key")
        #expect(error?.message == "duplicate key 'y', 'z' in mapping")
        // Where the first of the repeated keys (sorted) is first written.
        #expect(error?.location == Self.at(3, 3))
        // A quoted key is the same key.
        #expect(Self.error("a: 1\n'a': 2\n")?.message == "duplicate key 'a' in mapping")
        // So is a long mapping's (hashed rather than compared in pairs).
        let long = (0..<20).map { "k\($0): \($0)" }.joined(separator: "\n") + "\nk7: again\n"
        #expect(Self.error(long)?.message == "duplicate key 'k7' in mapping")
        #expect(Self.error(long)?.location == Self.at(8, 1))
    }

    @Test func emptyDocumentIsAnEmptyMapping() throws {
        for text in ["", "\n", "# only a comment\n"] {
            let node = try Self.parse(text)
            #expect(node.entries?.isEmpty == true)
            #expect(node.location == Self.at(1, 1))
        }
        // An explicit empty document is a null, as before.
        #expect(try Self.parse("---\n").isNull)
    }

    @Test func byteOrderMarkAndNonASCIIText() throws {
        let node = try Self.parse("\u{FEFF}name: café\nlist:\n  - ünï\n  - 日本: 語\n")
        #expect(node["name"]?.json == .string("café"))
        #expect(node["list"]?.items?[0].json == .string("ünï"))
        #expect(node["list"]?.items?[1]["日本"]?.json == .string("語"))
        // Columns count characters, not bytes.
        #expect(node["list"]?.items?[1]["日本"]?.location == Self.at(4, 9))
    }

    @Test func moreThanOneDocumentIsAnError() {
        for text in ["a: 1\n---\nb: 2\n", "---\na: 1\n...\n---\nb: 2\n"] {
            let error = Self.error(text)
            #expect(error?.id == "yaml.syntax")
            #expect(
                error?.message == "invalid YAML: expected a single document in the stream: but found another document")
        }
        #expect(Self.error("a: 1\n---\nb: 2\n")?.location == Self.at(2, 1))
    }

    @Test func undefinedAliasIsAnError() {
        let error = Self.error("a: *nope\n")
        #expect(error?.message == "invalid YAML: found undefined alias")
        #expect(error?.location == Self.at(1, 4))
    }

    @Test func otherRoots() throws {
        #expect(try Self.parse("just text\n").json == .string("just text"))
        #expect(try Self.parse("- 1\n- two\n").json == .array([.int(1), .string("two")]))
    }

    @Test func keysAreTheirText() throws {
        let node = try Self.parse("1: a\ntrue: b\n~: c\n0x10: d\n'q': e\n")
        #expect(node.entries?.map(\.key) == ["1", "true", "~", "0x10", "q"])
    }
}
