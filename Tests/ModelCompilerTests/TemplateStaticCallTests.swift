import Testing

@testable import ModelCompiler

/// Reading `ref`/`source`/`config` calls, docs blocks and source maps without a database.
private typealias Loc = ModelCompiler.SourceLocation

@Suite struct TemplateStaticCallTests {
    static let model = """
        {{ config(materialized='incremental', unique_key=['id', 'day'], tags=var('tags')) }}
        {% set cutoff = 10 %}
        select * from {{ ref('orders') }}
        {% if is_incremental() %}
          join {{ ref('customers', v=2) }} using (id)
          join {{ source('raw', 'events') }} using (id)
        {% else %}
          join {{ ref(model_name) }} using (id)
        {% endif %}
        {% for t in ['a', 'b'] %}{{ ref('pkg', 'stg_' ~ t) }}{% endfor %}
        {% macro helper() %}{{ ref('inside_macro') }}{% endmacro %}
        {% set block %}{{ ref('in_set_block') }}{% endset %}
        {% call wrapper() %}{{ ref('in_call_block') }}{% endcall %}
        {{ other.ref('not_plain') }}
        """

    @Test func findsCallsEverywhereInSourceOrder() throws {
        let t = try Template.parse(Self.model, file: "models/orders.sql")
        let refs = t.staticCalls(named: ["ref"])
        #expect(
            refs.map(\.arguments) == [
                [.string("orders")], [.string("customers")], [nil], [.string("pkg"), nil], [.string("inside_macro")],
                [.string("in_set_block")], [.string("in_call_block")],
            ])
        #expect(refs[1].keywordArguments == [StaticCall.KeywordArgument(name: "v", value: .int(2))])
        #expect(refs[0].location == Loc(file: "models/orders.sql", line: 3, column: 18))
        #expect(refs[2].location == Loc(file: "models/orders.sql", line: 8, column: 11))

        let all = t.staticCalls(named: ["ref", "source", "config"])
        #expect(all.map(\.name) == ["config", "ref", "ref", "source", "ref", "ref", "ref", "ref", "ref"])
        let config = all[0]
        #expect(config.keyword("materialized") == .string("incremental"))
        #expect(config.keyword("unique_key") == .array(["id", "day"]))
        #expect(config.keywordArguments.map(\.name) == ["materialized", "unique_key", "tags"])
        #expect(config.keywordArguments[2].value == nil)
        #expect(all[3].arguments == [.string("raw"), .string("events")])
    }

    @Test func literalArguments() throws {
        let t = try Template.parse(
            "{{ config(a=-1, b=1.5, c=true, d=none, e={'k': [1, 'x']}, f=('t',), g='a' 'b') }}", file: "m.sql")
        let call = try #require(t.staticCalls(named: ["config"]).first)
        #expect(
            call.keywordArguments.map(\.value) == [
                .int(-1), .double(1.5), .bool(true), .null, .object(["k": [1, "x"]]), .array(["t"]), .string("ab"),
            ])
    }

    @Test func docBlocks() throws {
        let md = """
            # Docs

            {% docs orders %}
            Orders placed by **customers**.
            {% enddocs %}

            {% docs status %}One of `placed`, `shipped`.{% enddocs %}
            """
        let t = try Template.parse(md, file: "models/docs.md")
        #expect(t.docBlocks.map(\.name) == ["orders", "status"])
        #expect(t.docBlocks[0].contents == "\nOrders placed by **customers**.\n")
        #expect(t.docBlocks[1].contents == "One of `placed`, `shipped`.")
        #expect(t.docBlocks[1].location == Loc(file: "models/docs.md", line: 7, column: 1))
        #expect(try t.render(RenderContext()) == "# Docs\n\n\n\n")
    }

    @Test func snapshotBlocks() throws {
        let source = """
            {% snapshot orders_snapshot %}
            {{ config(unique_key='id', strategy='timestamp', updated_at='updated_at') }}
            select * from {{ source('shop', 'orders') }}
            {% endsnapshot %}
            """
        let t = try Template.parse(source, file: "snapshots/orders.sql")
        #expect(t.snapshotBlocks.map(\.name) == ["orders_snapshot"])
        #expect(t.snapshotBlocks[0].location == Loc(file: "snapshots/orders.sql", line: 1, column: 1))
        #expect(t.staticCalls(named: ["config", "source"]).map(\.name) == ["config", "source"])
        var context = RenderContext()
        context.globals["config"] = .function(TemplateFunction(name: "config") { _ in .string("") })
        context.globals["source"] = .function(TemplateFunction(name: "source") { _ in .string("shop.orders") })
        #expect(try t.render(context) == "\n\nselect * from shop.orders\n")
    }

    @Test func sourceMapPointsBackToTemplate() throws {
        let source = "select\n  {{ col }} as x,\n  {% if true %}bad syntax{% endif %}\nfrom t"
        let t = try Template.parse(source, file: "models/m.sql")
        let (output, map) = try t.renderWithSourceMap(RenderContext(globals: ["col": .string("amount")]))
        #expect(output == "select\n  amount as x,\n  bad syntax\nfrom t")
        func location(of needle: String) -> Loc? {
            let prefix = output.range(of: needle).map { output[..<$0.lowerBound] }!
            return map.location(forOutputOffset: prefix.utf8.count)
        }
        #expect(location(of: "select") == Loc(file: "models/m.sql", line: 1, column: 1))
        #expect(location(of: "amount") == Loc(file: "models/m.sql", line: 2, column: 6))
        #expect(location(of: "as x") == Loc(file: "models/m.sql", line: 2, column: 13))
        #expect(location(of: "syntax") == Loc(file: "models/m.sql", line: 3, column: 20))
        #expect(location(of: "from") == Loc(file: "models/m.sql", line: 4, column: 1))
        #expect(map.location(forOutputOffset: output.utf8.count + 5) == nil)
    }

    @Test func sourceMapMapsMacroOutputToTheCall() throws {
        var macros = MacroLibrary()
        macros.add(try Template.parse("{% macro cols() %}a,\nb{% endmacro %}", file: "macros/c.sql"))
        let t = try Template.parse("select\n    {{ cols() }}\nfrom t", file: "models/m.sql")
        let (output, map) = try t.renderWithSourceMap(RenderContext(macros: macros))
        #expect(output == "select\n    a,\nb\nfrom t")
        let offset = output.utf8.count - "b\nfrom t".utf8.count
        #expect(map.location(forOutputOffset: offset) == Loc(file: "models/m.sql", line: 2, column: 8))
    }

    @Test func parsingIsSafeConcurrently() async throws {
        let results = await withTaskGroup(of: Int.self) { group in
            for i in 0..<8 {
                group.addTask {
                    let t = try? Template.parse(Self.model + "\n{{ ref('m\(i)') }}", file: "models/m\(i).sql")
                    return t?.staticCalls(named: ["ref"]).count ?? -1
                }
            }
            var counts: [Int] = []
            for await c in group { counts.append(c) }
            return counts
        }
        #expect(results == Array(repeating: 8, count: 8))
    }

    @Test func renderingIsSafeConcurrently() async throws {
        var macros = MacroLibrary()
        macros.add(try Template.parse("{% macro twice(x) %}{{ x }}{{ x }}{% endmacro %}", file: "macros/t.sql"))
        let context = RenderContext(globals: ["seen": .list([])], macros: macros)
        let templates = try (0..<16).map { i in
            try Template.parse("{% do seen.append(\(i)) %}{{ twice(\(i)) }}", file: "models/m\(i).sql")
        }
        let outputs = await withTaskGroup(of: String.self) { group in
            for t in templates { group.addTask { (try? t.render(context)) ?? "error" } }
            var all: [String] = []
            for await o in group { all.append(o) }
            return all
        }
        #expect(Set(outputs) == Set((0..<16).map { "\($0)\($0)" }))
        guard case .list(let seen)? = context.globals["seen"] else { return }
        #expect(seen.count == 16)
    }
}
