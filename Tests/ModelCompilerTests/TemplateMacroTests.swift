import Testing

@testable import ModelCompiler

/// Macros: parameters, defaults, varargs, kwargs, caller, return(), libraries and namespaces, test blocks.
@Suite struct TemplateMacroTests {
    static func render(_ source: String, _ context: RenderContext = RenderContext()) throws(DiagnosticsError) -> String
    {
        try Template.parse(source, file: "models/m.sql").render(context)
    }

    static let cases: [(template: String, expected: String)] = [
        (
            "{% macro m(a, b=2, c=a ~ '!') %}{{ a }}/{{ b }}/{{ c }}{% endmacro %}{{ m(1) }} {{ m(1, c='x') }}",
            "1/2/1! 1/2/x"
        ),
        (
            "{% macro m() %}{{ varargs | length }}:{{ kwargs | dictsort }}{% endmacro %}{{ m(1, 2, z=1, a=2) }}",
            "2:[('a', 2), ('z', 1)]"
        ),
        ("{% macro m(a) %}[{{ a }}]{% endmacro %}{{ m() }}", "[]"),
        ("{% macro m(x) %}{{ return(x * 2) }}ignored{% endmacro %}{{ m(21) + 1 }}", "43"),
        ("{% macro m() %}{% do return({'a': [1, 2]}) %}{% endmacro %}{{ m().a[1] }}", "2"),
        (
            "{% macro m() %}{% for i in range(5) %}{% if i == 2 %}{{ return(i) }}{% endif %}{% endfor %}{% endmacro %}{{ m() }}",
            "2"
        ),
        (
            "{% macro outer() %}{{ inner() ~ '!' }}{% endmacro %}{% macro inner() %}{{ return('in') }}{% endmacro %}{{ outer() }}",
            "in!"
        ),
        ("{% macro m() %}{{ caller() | trim }}{% endmacro %}{% call m() %}  body  {% endcall %}", "body"),
        (
            "{% set who = 'x' %}{% macro m() %}{{ caller('a') }}{% endmacro %}{% call(p) m() %}{{ p }}{{ who }}{% endcall %}",
            "ax"
        ),
        ("{% macro m(a) %}{{ a }}{% endmacro %}{% set f = m %}{{ f(5) }} {{ m.name }}", "5 m"),
        ("{% macro m(xs) %}{% do xs.append(1) %}{% endmacro %}{% set l = [] %}{{ m(l) }}{{ m(l) }}{{ l }}", "[1, 1]"),
        ("{% macro m(a, b) %}{{ a }}{{ b }}{% endmacro %}{{ m(*[1, 2]) }} {{ m(**{'a': 3, 'b': 4}) }}", "12 34"),
    ]

    @Test(arguments: cases)
    func macroCall(_ template: String, _ expected: String) throws {
        #expect(try Self.render(template) == expected)
    }

    static let library = """
        {% macro cents_to_dollars(column_name, scale=2) -%}
            ({{ column_name }} / 100)::numeric(16, {{ scale }})
        {%- endmacro %}

        {% macro default__limit(n) %}limit {{ n }}{% endmacro %}

        {% test positive(model, column_name) %}
        select * from {{ model }} where {{ column_name }} <= 0
        {% endtest %}
        """

    @Test func macroBlocksAreListed() throws {
        let t = try Template.parse(Self.library, file: "macros/money.sql")
        #expect(t.macros.map(\.name) == ["cents_to_dollars", "default__limit", "positive"])
        #expect(t.macros.map(\.registeredName) == ["cents_to_dollars", "default__limit", "test_positive"])
        #expect(t.macros.map(\.isTest) == [false, false, true])
        #expect(t.macros[0].parameters == ["column_name", "scale"])
        #expect(t.macros[2].location == SourceLocation(file: "macros/money.sql", line: 7, column: 1))
        #expect(t.macros[1].sourceText == "{% macro default__limit(n) %}limit {{ n }}{% endmacro %}")
        #expect(t.macros[0].sourceText.hasPrefix("{% macro cents_to_dollars"))
        #expect(t.macros[0].sourceText.hasSuffix("{%- endmacro %}"))
    }

    @Test func materializationBlocksAreMacros() throws {
        let t = try Template.parse(
            """
            {% materialization lazy_view, adapter='postgres' %}{{ return({'relations': [this]}) }}{% endmaterialization %}
            {% materialization plain, default %}ok{% endmaterialization %}
            """, file: "macros/mat.sql")
        #expect(
            t.macros.map(\.registeredName) == ["materialization_lazy_view_postgres", "materialization_plain_default"])
        var macros = MacroLibrary()
        macros.add(t)
        let context = RenderContext(globals: ["this": .string("t")], macros: macros)
        #expect(
            try macros.call("materialization_lazy_view_postgres", context: context).jsonValue == ["relations": ["t"]])
    }

    @Test func libraryMacrosAreCallable() throws {
        var macros = MacroLibrary()
        macros.add(try Template.parse(Self.library, file: "macros/money.sql"))
        let context = RenderContext(macros: macros)
        #expect(
            try Self.render("select {{ cents_to_dollars('amount') }} as usd", context)
                == "select (amount / 100)::numeric(16, 2) as usd")
        #expect(try Self.render("{{ test_positive('t', 'x') | trim }}", context) == "select * from t where x <= 0")
        let value = try macros.call(
            "cents_to_dollars", positional: [.string("c")], keyword: ["scale": .int(4)], context: context)
        #expect(value.description == "(c / 100)::numeric(16, 4)")
    }

    @Test func laterDefinitionsWinAndLocalMacrosShadowLibrary() throws {
        var macros = MacroLibrary()
        macros.add(try Template.parse("{% macro greet() %}builtin{% endmacro %}", file: "internal/greet.sql"))
        macros.add(try Template.parse("{% macro greet() %}project{% endmacro %}", file: "macros/greet.sql"))
        let context = RenderContext(macros: macros)
        #expect(try Self.render("{{ greet() }}", context) == "project")
        #expect(try Self.render("{% macro greet() %}local{% endmacro %}{{ greet() }}", context) == "local")
    }

    @Test func namespacedMacros() throws {
        var macros = MacroLibrary()
        macros.add(
            try Template.parse(
                "{% macro star(from) %}{{ return(['a', 'b'] | join(', ')) }}{% endmacro %}",
                file: "dbt_packages/u/macros/star.sql"),
            namespace: "dbt_utils")
        let context = RenderContext(macros: macros)
        #expect(try Self.render("select {{ dbt_utils.star('t') }} from t", context) == "select a, b from t")
        #expect(macros.macro(named: "dbt_utils.star")?.parameters == ["from"])
        #expect(macros.macro(named: "star") == nil)
    }

    @Test func packageMacrosCallTheirSiblingsUnqualified() throws {
        var macros = MacroLibrary()
        macros.add(
            try Template.parse(
                """
                {% macro surrogate_key(cols) %}md5({{ _concat(cols) }}){% endmacro %}
                {% macro _concat(cols) %}{{ cols | join(" || '-' || ") }}{% endmacro %}
                """, file: "dbt_packages/dbt_utils/macros/keys.sql"), namespace: "dbt_utils")
        macros.add(try Template.parse("{% macro upper_all(x) %}{{ x | upper }}{% endmacro %}", file: "macros/u.sql"))
        let context = RenderContext(macros: macros)
        #expect(try Self.render("{{ dbt_utils.surrogate_key(['a', 'b']) }}", context) == "md5(a || '-' || b)")
        #expect(macros.macro(named: "dbt_utils._concat")?.namespace == "dbt_utils")
        do {
            _ = try Self.render("{{ _concat(['a']) }}", context)
            Issue.record("a package-private macro must not resolve from the root project")
        } catch {
            #expect(error.diagnostics.first?.message == "'_concat' is undefined")
        }
    }

    @Test func macroReturningValueFromSwift() throws {
        var macros = MacroLibrary()
        macros.add(
            try Template.parse(
                "{% macro cols(n) %}{% set out = [] %}{% for i in range(n) %}{% do out.append('c' ~ i) %}{% endfor %}{{ return(out) }}{% endmacro %}",
                file: "macros/cols.sql"))
        let value = try macros.call("cols", positional: [.int(3)], context: RenderContext(macros: macros))
        #expect(value.jsonValue == ["c0", "c1", "c2"])
        #expect(throws: DiagnosticsError.self) { try macros.call("colz", context: RenderContext(macros: macros)) }
    }

    @Test func nativeFunctionsSeeCallerAndCanCallBack() throws {
        var context = RenderContext()
        context.globals["twice"] = .function(
            TemplateFunction(name: "twice") { args in
                guard let caller = args.caller else { throw TemplateError("twice needs a call block") }
                let once = try args.call(caller).description
                return .string(once + once)
            })
        #expect(try Self.render("{% call twice() %}ab{% endcall %}", context) == "abab")
        context.globals["apply"] = .function(
            TemplateFunction(name: "apply") { args in
                try args.call(args.positional[0], [args.positional[1]])
            })
        #expect(try Self.render("{% macro up(s) %}{{ s | upper }}{% endmacro %}{{ apply(up, 'x') }}", context) == "X")
    }
}

@Suite struct TemplateRecursionTests {
    @Test func deepRecursionWithinLimitRenders() throws {
        let t = try Template.parse(
            "{% macro down(n) %}{% if n > 0 %}{{ down(n - 1) }}{% else %}bottom{% endif %}{% endmacro %}{{ down(200) }}",
            file: "models/m.sql")
        #expect(try t.render(RenderContext()) == "bottom")
    }

    @Test func runawayRecursionIsADiagnostic() throws {
        let t = try Template.parse(
            "{% macro loop_forever() %}{{ loop_forever() }}{% endmacro %}{{ loop_forever() }}", file: "models/m.sql")
        do {
            _ = try t.render(RenderContext())
            Issue.record("expected an error")
        } catch {
            #expect(error.diagnostics.first?.message == "maximum macro recursion depth exceeded calling 'loop_forever'")
        }
    }
}
