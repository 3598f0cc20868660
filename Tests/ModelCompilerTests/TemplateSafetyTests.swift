import Testing

@testable import ModelCompiler

/// Values that stopped the process (trap, stack overflow, allocation failure) before `TemplateLimits`:
/// each now renders what Jinja renders, or is a template error at the expression's `file:line:col`.
/// Expected values were checked against Jinja 3.1 (`python3 -c "import jinja2"`); where Jinja gives an
/// integer over 64 bits or a `MemoryError`/`RecursionError`, sqlt gives an error.
@Suite struct TemplateSafetyTests {
    enum Outcome: Sendable {
        /// Renders this text.
        case value(String)
        /// Fails with a message containing `message`, located on line 2 at the first `marker` of that line.
        case error(String, marker: String)
    }

    static let big = "9223372036854775807"
    static let minInt = "(-9223372036854775807 - 1)"

    static let cases: [(name: String, line: String, outcome: Outcome)] = [
        ("int of 1e300", "{{ 1e300 | int }}", .error("1e+300 does not fit in a 64-bit integer", marker: "int")),
        (
            "int of a 20-digit string", "{{ '99999999999999999999' | int }}",
            .error("does not fit in a 64-bit integer", marker: "int")
        ),
        ("round then int", "{{ 1e300 | round | int }}", .error("does not fit in a 64-bit integer", marker: "int")),
        ("int of infinity", "{{ 1e400 | int }}", .error("cannot convert float infinity to integer", marker: "int")),
        ("int of NaN is the default", "{{ 'nan' | float | int }}", .value("0")),
        ("int with a bad base", "{{ '1' | int(base=99) }}", .error("base must be >= 2 and <= 36", marker: "int")),
        ("Int.min // -1", "{{ \(minInt) // -1 }}", .error("integer overflow", marker: "//")),
        ("Int.min % -1 is 0", "{{ \(minInt) % -1 }}", .value("0")),
        ("unary minus of Int.min", "{{ -\(minInt) }}", .error("integer overflow", marker: "-(-")),
        ("abs of Int.min", "{{ \(minInt) | abs }}", .error("integer overflow", marker: "abs")),
        ("indent by a negative width", "{{ 'a\\nb' | indent(-3) }}", .value("a\nb")),
        ("truncate at Int.max", "{{ 'abc' | truncate(\(big)) }}", .value("abc")),
        ("%d of 1e300", "{{ '%d' % 1e300 }}", .error("does not fit in a 64-bit integer", marker: "% 1e300")),
        ("%f with a huge precision", "{{ '%.3000000000f' % 1.5 }}", .error("precision too big", marker: "% 1.5")),
        ("%d with a huge width", "{{ '%5000000000d' % 1 }}", .error("width too big", marker: "% 1")),
        (
            "format with a huge precision", "{{ '{:.3000000000f}'.format(1.5) }}",
            .error("precision too big", marker: "format")
        ),
        ("format with a negative index", "{{ '{-1}'.format(1) }}", .error("'-1'", marker: "format")),
        ("tojson with a negative indent", "{{ {'a': 1} | tojson(-1) }}", .value("{\n\"a\": 1\n}")),
        ("range length overflow", "{{ range(-\(big), \(big)) | length }}", .error("range too big", marker: "range")),
        ("range with a huge step", "{{ range(0, 10, \(big)) | list }}", .value("[0]")),
        ("list slice with step Int.max", "{{ [1, 2, 3][1::\(big)] }}", .value("[2]")),
        ("string slice with step Int.max", "{{ 'abc'[1::\(big)] }}", .value("b")),
        ("slice with step -Int.max", "{{ [1, 2, 3][::-\(big)] }}", .value("[3]")),
        ("split with maxsplit Int.max", "{{ 'a b'.split(' ', \(big)) }}", .value("['a', 'b']")),
        ("text repeated Int.max times", "{{ ('x' * \(big)) | length }}", .error("text too large", marker: "*")),
        ("list repeated Int.max times", "{{ ([1] * \(big)) | length }}", .error("list too large", marker: "*")),
        ("center at Int.max", "{{ 'x' | center(\(big)) }}", .error("text too large", marker: "center")),
        ("join past the size limit", "{{ (['x' * 1000000] * 100) | join }}", .error("text too large", marker: "join")),
        (
            "replace past the size limit", "{{ ('x' * 1000) | replace('x', 'y' * 100000) }}",
            .error("text too large", marker: "replace")
        ),
        (
            "output past the size limit", "{% for i in range(70) %}{{ 'x' * 1000000 }}{% endfor %}",
            .error("text too large", marker: "'x' * 1000000")
        ),
        ("a list inside itself prints [...]", "{% set x = [1] %}{% do x.append(x) %}{{ x }}", .value("[1, [...]]")),
        (
            "tojson of a list inside itself", "{% set x = [1] %}{% do x.append(x) %}{{ x | tojson }}",
            .error("circular reference detected", marker: "tojson")
        ),
        (
            "comparing lists inside themselves", "{% set x = [1] %}{% do x.append(x) %}{{ x < x }}",
            .error("maximum recursion depth", marker: "x < x")
        ),
        (
            "a macro calling itself forever", "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}",
            .error("maximum macro recursion depth", marker: "f(n + 1)")
        ),
    ]

    /// Renders `source` as `models/m.sql`; the text, or the diagnostics.
    static func render(_ source: String) -> Result<String, DiagnosticsError> {
        do {
            let template = try Template.parse(source, file: "models/m.sql")
            return .success(try template.render(RenderContext()))
        } catch {
            return .failure(error)
        }
    }

    @Test(arguments: cases.indices)
    func eachCaseIsAValueOrAnErrorAtItsLocation(_ index: Int) {
        let (name, line, outcome) = Self.cases[index]
        let source = "select 1\n" + line + "\n"
        switch (outcome, Self.render(source)) {
        case (.value(let expected), .success(let output)):
            #expect(output == "select 1\n" + expected + "\n", "\(name)")
        case (.error(let message, let marker), .failure(let error)):
            let d = error.diagnostics
            #expect(d.count == 1, "\(name): \(d)")
            #expect(d.first?.message.contains(message) == true, "\(name): \(d.first?.message ?? "")")
            let column = line.range(of: marker).map { line.utf8.distance(from: line.startIndex, to: $0.lowerBound) + 1 }
            #expect(d.first?.location?.file == "models/m.sql", "\(name)")
            #expect(d.first?.location?.line == 2, "\(name)")
            #expect(d.first?.location?.column == column, "\(name): column \(d.first?.location?.column ?? 0)")
        case (_, let result):
            Issue.record("\(name): expected \(outcome), got \(result)")
        }
    }

    @Test func tenThousandNestedParenthesesStopAtTheNestingLimit() throws {
        let n = 10_000
        let line = "{{ " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n) + " }}"
        guard case .failure(let error) = Self.render("select 1\n" + line) else { Issue.record("rendered"); return }
        let d = try #require(error.diagnostics.first)
        #expect(error.diagnostics.count == 1, "\(error.diagnostics)")
        #expect(d.message == "expression nested too deeply (more than \(TemplateLimits.maximumNesting) levels)")
        // the outer expression is level 1; the 100th parenthesis opens level 101, at the 101st '('
        #expect(d.location?.line == 2)
        #expect(d.location?.column == 4 + TemplateLimits.maximumNesting)
    }

    @Test func aHundredNestedParenthesesAreFine() throws {
        let n = TemplateLimits.maximumNesting - 1
        let source = "{{ " + String(repeating: "(", count: n) + "1" + String(repeating: ")", count: n) + " }}"
        #expect(try Self.render(source).get() == "1")
    }

    @Test func twentyThousandNestedIfsStopAtTheNestingLimit() throws {
        let n = 20_000
        let source =
            "select 1\n" + String(repeating: "{% if true %}", count: n) + "x"
            + String(repeating: "{% endif %}", count: n)
        guard case .failure(let error) = Self.render(source) else { Issue.record("rendered"); return }
        #expect(error.diagnostics.count == 1, "\(error.diagnostics.prefix(3))")
        let d = try #require(error.diagnostics.first)
        #expect(d.message == "blocks nested too deeply (more than \(TemplateLimits.maximumNesting) levels)")
        // the 101st `{% if %}` is the one too deep
        #expect(d.location?.line == 2)
        #expect(d.location?.column == 1 + TemplateLimits.maximumNesting * "{% if true %}".utf8.count)
    }

    @Test func aHundredNestedIfsRender() throws {
        let n = TemplateLimits.maximumNesting
        let source = String(repeating: "{% if true %}", count: n) + "x" + String(repeating: "{% endif %}", count: n)
        #expect(try Self.render(source).get() == "x")
    }

    @Test func recursionInsideNestedBlocksStopsBeforeTheStackRunsOut() throws {
        // each macro level nests 99 blocks and 90 parentheses: 250 levels need far more stack than a thread has
        let ifs = String(repeating: "{% if true %}", count: 99), ends = String(repeating: "{% endif %}", count: 99)
        let inner = String(repeating: "(", count: 90) + "n" + String(repeating: ")", count: 90)
        let source =
            "{% macro f(n) %}" + ifs + "{{ f(" + inner + " + 1) if n < 1000 else n }}" + ends
            + "{% endmacro %}{{ f(0) }}"
        guard case .failure(let error) = Self.render(source) else { Issue.record("rendered"); return }
        let d = try #require(error.diagnostics.first)
        #expect(
            d.message.hasPrefix("template nested too deeply") || d.message.hasPrefix("maximum macro recursion depth"),
            "\(d.message)")
        #expect(d.location?.file == "models/m.sql")
    }

    @Test func longOperatorAndFilterChainsCountAsNesting() throws {
        for line in [
            "{{ " + Array(repeating: "1", count: 5_000).joined(separator: " + ") + " }}",
            "{{ 'a'" + String(repeating: " | upper", count: 5_000) + " }}",
            "{{ x" + String(repeating: ".a", count: 5_000) + " }}",
            "{{ " + String(repeating: "not ", count: 5_000) + "1 }}",
            "{{ " + String(repeating: "- ", count: 5_000) + "1 }}",
        ] {
            guard case .failure(let error) = Self.render(line) else {
                Issue.record("rendered \(line.prefix(20))"); continue
            }
            #expect(error.diagnostics.first?.message.contains("nested too deeply") == true, "\(line.prefix(20))")
        }
    }
}
