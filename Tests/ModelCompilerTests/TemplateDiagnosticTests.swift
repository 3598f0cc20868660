import Testing

@testable import ModelCompiler

/// Each syntax and render error printed with `DiagnosticRenderer`: exact file:line:col, excerpt and underline.
@Suite struct TemplateDiagnosticTests {
    static func printed(_ source: String, context: RenderContext = Self.context) -> String {
        let renderer = DiagnosticRenderer(sourceText: { _ in source })
        do {
            let template = try Template.parse(source, file: "models/m.sql")
            let output = try template.render(context)
            return "rendered: \(output)"
        } catch {
            return renderer.render(error.diagnostics)
        }
    }

    static var context: RenderContext {
        var context = RenderContext()
        context.globals["boom"] = .function(
            TemplateFunction(name: "boom") { args in
                throw TemplateError("boom went off with \(args.positional.count) argument(s)")
            })
        return context
    }

    static let cases: [(name: String, source: String, expected: String)] = [
        (
            "unclosed expression", "select {{ ref('a') \nfrom x",
            """
            models/m.sql:1:8: error: unclosed '{{', expected '}}'
             1 | select {{ ref('a') 
               |        ^~
            """
        ),
        (
            "unclosed block", "{% if x %}\nabc\n",
            """
            models/m.sql:1:1: error: unclosed 'if' block, expected 'endif'
             1 | {% if x %}
               | ^~
            """
        ),
        (
            "unknown tag", "select 1\n{% frobnicate x %}",
            """
            models/m.sql:2:4: error: unknown tag 'frobnicate'
             2 | {% frobnicate x %}
               |    ^~~~~~~~~~
            """
        ),
        (
            "unexpected end tag", "{% endif %}",
            """
            models/m.sql:1:4: error: unexpected 'endif'
             1 | {% endif %}
               |    ^~~~~
            """
        ),
        (
            "wrong end tag", "{% for x in y %}{% endif %}{% endfor %}",
            """
            models/m.sql:1:20: error: unexpected 'endif', expected 'endfor'
             1 | {% for x in y %}{% endif %}{% endfor %}
               |                    ^~~~~
            """
        ),
        (
            "unexpected end of expression", "{{ 1 + }}",
            """
            models/m.sql:1:8: error: unexpected '}}'
             1 | {{ 1 + }}
               |        ^~
            """
        ),
        (
            "several syntax errors", "{% set x = %}\n{{ ok }}\n{{ ) }}",
            """
            models/m.sql:1:12: error: unexpected '%}'
             1 | {% set x = %}
               |            ^~
            models/m.sql:3:4: error: unexpected ')'
             3 | {{ ) }}
               |    ^
            """
        ),
        (
            "unclosed comment", "a\n{# never closed",
            """
            models/m.sql:2:1: error: unclosed comment
             2 | {# never closed
               | ^~
            """
        ),
        (
            "unknown filter", "{{ 'a' | uper }}",
            """
            models/m.sql:1:10: error: no filter named 'uper'
             1 | {{ 'a' | uper }}
               |          ^~~~
            hint: did you mean 'upper'?
            """
        ),
        (
            "unknown test", "{{ 3 is od }}",
            """
            models/m.sql:1:9: error: no test named 'od'
             1 | {{ 3 is od }}
               |         ^~
            hint: did you mean 'odd'?
            """
        ),
        (
            "bad filter argument", "select\n  {{ 'a' | truncate('x') }}",
            """
            models/m.sql:2:12: error: argument 'length' must be an integer, not str
             2 |   {{ 'a' | truncate('x') }}
               |            ^
            """
        ),
        (
            "macro arity", "{% macro m(a) %}{% endmacro %}\n  {{ m(1, 2) }}",
            """
            models/m.sql:2:6: error: macro 'm' takes not more than 1 argument(s)
             2 |   {{ m(1, 2) }}
               |      ^
            """
        ),
        (
            "macro unknown keyword", "{% macro m(a) %}{% endmacro %}{{ m(b=1) }}",
            """
            models/m.sql:1:34: error: macro 'm' takes no keyword argument 'b'
             1 | {% macro m(a) %}{% endmacro %}{{ m(b=1) }}
               |                                  ^
            """
        ),
        (
            "undefined call", "select\n  {{ not_defined() }}",
            """
            models/m.sql:2:6: error: 'not_defined' is undefined
             2 |   {{ not_defined() }}
               |      ^~~~~~~~~~~
            """
        ),
        (
            "undefined call with a near name", "{{ bom('x') }}",
            """
            models/m.sql:1:4: error: 'bom' is undefined
             1 | {{ bom('x') }}
               |    ^~~
            hint: did you mean 'boom'?
            """
        ),
        (
            "undefined attribute base", "{{ foo.bar }}",
            """
            models/m.sql:1:4: error: 'foo' is undefined
             1 | {{ foo.bar }}
               |    ^~~
            """
        ),
        (
            "raise from native function", "{% if true %}\n    {{ boom('x') }}\n{% endif %}",
            """
            models/m.sql:2:8: error: boom went off with 1 argument(s)
             2 |     {{ boom('x') }}
               |        ^
            """
        ),
        (
            "raise_compiler_error", "{{ exceptions.raise_compiler_error('Model is bad') }}",
            """
            models/m.sql:1:15: error: Model is bad
             1 | {{ exceptions.raise_compiler_error('Model is bad') }}
               |               ^
            """
        ),
        (
            "error inside a macro points into the macro", "{% macro m() %}\n{{ 1 // 0 }}\n{% endmacro %}{{ m() }}",
            """
            models/m.sql:2:6: error: integer division or modulo by zero
             2 | {{ 1 // 0 }}
               |      ^
            models/m.sql:3:18: note: in macro 'm' called here
            """
        ),
        (
            "namespace assignment on a plain name", "{% set ns.x = 1 %}",
            """
            models/m.sql:1:8: error: cannot assign attribute on non-namespace object 'ns'
             1 | {% set ns.x = 1 %}
               |        ^
            """
        ),
        (
            "break outside a loop", "a\n{% break %}",
            """
            models/m.sql:2:4: error: 'break' outside a loop
             2 | {% break %}
               |    ^
            """
        ),
        (
            "return outside a macro", "{{ return(1) }}",
            """
            models/m.sql:1:4: error: 'return' called outside a macro
             1 | {{ return(1) }}
               |    ^
            """
        ),
    ]

    @Test(arguments: cases)
    func printsDiagnostic(_ name: String, _ source: String, _ expected: String) {
        #expect(Self.printed(source) == expected, "\(name)")
    }

    @Test func errorInLibraryMacroPointsIntoTheMacroFileWithACallSiteNote() throws {
        let files = [
            "macros/cast.sql":
                "{% macro safe_cast(col, type) %}\n  cast({{ col }} as {{ type | upper }})\n  {{ exceptions.raise_compiler_error('unsupported type ' ~ type) if type == 'blob' }}\n{% endmacro %}",
            "models/m.sql": "select\n  {{ safe_cast('a', 'blob') }}\nfrom t",
        ]
        var macros = MacroLibrary()
        macros.add(try Template.parse(files["macros/cast.sql"]!, file: "macros/cast.sql"))
        let model = try Template.parse(files["models/m.sql"]!, file: "models/m.sql")
        let renderer = DiagnosticRenderer(sourceText: { files[$0] })
        do {
            _ = try model.render(RenderContext(macros: macros))
            Issue.record("expected an error")
        } catch {
            #expect(
                renderer.render(error.diagnostics) == """
                    macros/cast.sql:3:17: error: unsupported type blob
                     3 |   {{ exceptions.raise_compiler_error('unsupported type ' ~ type) if type == 'blob' }}
                       |                 ^
                    models/m.sql:2:6: note: in macro 'safe_cast' called here
                    """)
        }
    }

    @Test func strictUndefinedPrintingFails() {
        var context = Self.context
        context.strictUndefined = true
        #expect(
            Self.printed("a {{ missing }}", context: context) == """
                models/m.sql:1:6: error: 'missing' is undefined
                 1 | a {{ missing }}
                   |      ^
                """)
        #expect(Self.printed("a {{ missing }}") == "rendered: a ")
    }

    @Test func diagnosticIds() throws {
        let template = try Template.parse("{{ x | nope }}", file: "models/m.sql")
        #expect(throws: DiagnosticsError.self) { try template.render(RenderContext()) }
        do {
            _ = try template.render(RenderContext())
        } catch {
            #expect(error.diagnostics.map(\.id) == ["template.filter"])
        }
        do {
            _ = try Template.parse("{% nope %}", file: "models/m.sql")
        } catch {
            #expect(error.diagnostics.map(\.id) == ["template.syntax"])
        }
    }
}
