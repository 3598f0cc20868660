import Testing

@testable import ModelCompiler

/// Conversions, printing and truthiness of template values.
@Suite struct TemplateValueTests {
    static let printed: [(value: TemplateValue, text: String)] = [
        (.none, "None"), (.bool(true), "True"), (.bool(false), "False"), (.int(-3), "-3"), (.double(3), "3.0"),
        (.double(0.1), "0.1"), (.double(1e20), "1e+20"), (.double(1.5e-7), "1.5e-07"), (.string("it's"), "it's"),
        (.undefined("'x' is undefined"), ""),
        (.list([.string("a"), .int(1), .none, .bool(true)]), "['a', 1, None, True]"),
        (.list(TemplateList([.int(1)], isTuple: true)), "(1,)"),
        (.dict([("b", .string("it's")), ("a", .list([]))]), "{'b': \"it's\", 'a': []}"),
        (.object(TemplateObject(name: "Relation", text: "\"db\".\"t\"")), "\"db\".\"t\""),
    ]

    @Test(arguments: printed)
    func printsLikeJinja(_ value: TemplateValue, _ text: String) {
        #expect(value.description == text)
    }

    @Test func jsonRoundTrip() {
        let json: JSONValue = ["b": [1, 2.5, "x", nil, true], "a": ["k": "v"]]
        let value = TemplateValue(json)
        #expect(value.jsonValue == json)
        guard case .dict(let d) = value else { Issue.record("expected a dict"); return }
        #expect(d.keys == ["a", "b"])
        #expect(TemplateValue.function(TemplateFunction(name: "f") { _ in .none }).jsonValue == nil)
    }

    static let truthiness: [(TemplateValue, Bool)] = [
        (.none, false), (.undefined("u"), false), (.int(0), false), (.double(0), false), (.string(""), false),
        (.list([]), false), (.dict([]), false), (.int(2), true), (.string("0"), true), (.list([.none]), true),
    ]

    @Test(arguments: truthiness)
    func truthy(_ value: TemplateValue, _ expected: Bool) {
        #expect(value.isTruthy == expected)
    }

    @Test func listsAndDictsAreShared() throws {
        let list = TemplateValue.list([])
        let t = try Template.parse("{% do xs.append(1) %}{% do m.update({'k': 2}) %}", file: "m.sql")
        let dict = TemplateValue.dict([])
        _ = try t.render(RenderContext(globals: ["xs": list, "m": dict]))
        #expect(list.jsonValue == [1])
        #expect(dict.jsonValue == ["k": 2])
    }

    static let dbtFilters: [(template: String, expected: String)] = [
        (
            "{{ 'true' | as_bool }} {{ 'False' | as_bool }} {{ 'maybe' | as_bool }} {{ ('true' | as_bool) is sameas true }}",
            "True False maybe True"
        ),
        ("{{ '42' | as_number + 1 }} {{ '2.5' | as_number * 2 }} {{ 'x' | as_number }}", "43 5.0 x"),
        (
            "{{ \"[1, 'a', {'k': none}]\" | as_native }} {{ ('[1, 2]' | as_native) | length }} {{ 'plain' | as_native }}",
            "[1, 'a', {'k': None}] 2 plain"
        ),
        ("{{ 5 | as_text }}{{ none | as_text }}", "5None"),
    ]

    @Test(arguments: dbtFilters)
    func dbtFilter(_ template: String, _ expected: String) throws {
        #expect(try Template.parse(template, file: "m.sql").render(RenderContext()) == expected)
    }

    @Test func customFiltersAndTestsUseTheSameAPI() throws {
        var context = RenderContext()
        context.filters["shout"] = TemplateFilter(name: "shout") { value, args in
            .string(
                value.description.uppercased() + String(repeating: "!", count: args.argument(0, "n")?.intValue ?? 1))
        }
        context.tests["short"] = TemplateIsTest(name: "short") { value, _ in value.description.count < 4 }
        let t = try Template.parse("{{ 'hey' | shout(2) }} {{ 'abc' is short }} {{ 'abcdef' is short }}", file: "m.sql")
        #expect(try t.render(context) == "HEY!! True False")
    }
}
