import Testing

@testable import ModelCompiler

/// A dbt-style macro file and model rendered together, with the integrator's globals supplied as natives.
@Suite struct TemplateDbtProjectTests {
    static let macroFile = """
        {% macro generate_schema_name(custom_schema_name, node) -%}
            {%- set default_schema = target.schema -%}
            {%- if custom_schema_name is none -%}
                {{ default_schema }}
            {%- else -%}
                {{ default_schema }}_{{ custom_schema_name | trim }}
            {%- endif -%}
        {%- endmacro %}

        {% macro get_payment_methods() %}
            {{ return(['bank_transfer', 'credit_card', 'gift_card']) }}
        {% endmacro %}

        {% macro pivot_sum(column, values, alias_prefix='') -%}
            {%- for v in values %}
            sum(case when {{ column }} = '{{ v }}' then amount else 0 end) as {{ alias_prefix ~ v }}_amount
            {%- if not loop.last %},{% endif -%}
            {% endfor %}
        {%- endmacro %}

        {% macro limit_zero() %}{{ return(adapter.dispatch('limit_zero')()) }}{% endmacro %}
        {% macro default__limit_zero() %}{{ return('limit 0') }}{% endmacro %}
        """

    static let model = """
        {{ config(materialized='table') }}
        {%- set methods = get_payment_methods() %}
        select
            order_id,
            {{ pivot_sum('payment_method', methods) }}
        from {{ ref('stg_payments') }}
        where schema_name = '{{ generate_schema_name('marts', none) }}'
        {{ limit_zero() }}
        """

    /// Output starts with the newline that follows the `set` tag (`{%-` strips only before the tag).
    static let expected = """

        select
            order_id,
            
            sum(case when payment_method = 'bank_transfer' then amount else 0 end) as bank_transfer_amount,
            sum(case when payment_method = 'credit_card' then amount else 0 end) as credit_card_amount,
            sum(case when payment_method = 'gift_card' then amount else 0 end) as gift_card_amount
        from "analytics"."dbt_ann"."stg_payments"
        where schema_name = 'dbt_ann_marts'
        limit 0
        """

    @Test func rendersModelWithProjectMacros() throws {
        var macros = MacroLibrary()
        macros.add(try Template.parse(Self.macroFile, file: "macros/utils.sql"))
        let library = macros
        var context = RenderContext(macros: macros)
        context.globals["target"] = .object(
            TemplateObject(
                name: "target", attributes: ["schema": .string("dbt_ann"), "database": .string("analytics")]))
        context.globals["ref"] = .function(
            TemplateFunction(name: "ref") { args in
                let name = try args.string(0, "name", of: "ref")
                return .object(
                    TemplateObject(
                        name: "Relation", attributes: ["identifier": .string(name)],
                        text: "\"analytics\".\"dbt_ann\".\"\(name)\""))
            })
        context.globals["config"] = .function(TemplateFunction(name: "config") { _ in .string("") })
        context.globals["adapter"] = .object(
            TemplateObject(
                name: "adapter",
                attributes: [
                    "dispatch": .function(
                        TemplateFunction(name: "dispatch") { args in
                            let name = try args.string(0, "macro_name", of: "dispatch")
                            guard let macro = library.macro(named: "default__" + name) else {
                                throw TemplateError("no implementation of '\(name)'")
                            }
                            return .macro(macro)
                        })
                ]))
        let t = try Template.parse(Self.model, file: "models/orders.sql")
        let output = try t.render(context)
        #expect(output == Self.expected, "\(output.debugDescription)")
        #expect(t.staticCalls(named: ["ref"]).map(\.arguments) == [[.string("stg_payments")]])
        let schema = try macros.call("generate_schema_name", positional: [.none, .none], context: context)
        #expect(schema.description == "dbt_ann")
    }
}
