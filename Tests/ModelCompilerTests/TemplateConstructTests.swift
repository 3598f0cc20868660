import Foundation
import Testing

@testable import ModelCompiler

/// Constructs, statements, filters and tests, each compared with the output of Python's jinja2 3.1
/// (`keep_trailing_newline=True`, `do` and `loopcontrols` extensions, as dbt enables) for the same template and context.
@Suite struct TemplateConstructTests {
    static let contextJSON =
        "{\"d\": {\"a\": 1, \"b\": 2}, \"empty\": [], \"f\": 2.5, \"items\": [3, 1, 2], \"n\": 7, \"name\": \"World\", \"nested\": {\"x\": {\"y\": \"deep\"}}, \"s\": \"  Hello World  \", \"users\": [{\"age\": 30, \"name\": \"ann\"}, {\"age\": 25, \"name\": \"bob\"}, {\"age\": 35, \"name\": \"cy\"}], \"words\": [\"b\", \"A\", \"c\", \"a\"]}"

    static func context() throws -> RenderContext {
        let json = try JSONDecoder().decode(JSONValue.self, from: Data(contextJSON.utf8))
        var globals: [String: TemplateValue] = [:]
        for (key, value) in json.objectValue ?? [:] { globals[key] = TemplateValue(value) }
        return RenderContext(globals: globals)
    }

    static let cases: [(template: String, expected: String)] = [
        ("{{ 1 }}|{{ 1.0 }}|{{ 0.1 }}|{{ 1e3 }}|{{ -3 }}", "1|1.0|0.1|1000.0|-3"),
        ("{{ 'a' }}{{ \"b\" }}{{ 'it\\'s' }}{{ 'x\\ny' }}", "abit'sx\ny"),
        ("{{ true }} {{ false }} {{ none }} {{ True }} {{ None }}", "True False None True None"),
        ("{{ [1, 'a', none, true, 1.5] }}", "[1, 'a', None, True, 1.5]"),
        ("{{ (1, 2) }} {{ (1,) }} {{ {'a': 1, 'b': [2]} }}", "(1, 2) (1,) {'a': 1, 'b': [2]}"),
        ("{{ ['it\\'s', \"q\"] }}", "[\"it's\", 'q']"),
        ("{{ undefined_thing }}|{{ undefined_thing is defined }}", "|False"),
        (
            "{{ 7 / 2 }} {{ 7 // 2 }} {{ -7 // 2 }} {{ 7 % 3 }} {{ -7 % 3 }} {{ 2 ** 10 }} {{ 2 ** -1 }}",
            "3.5 3 -4 1 2 1024 0.5"
        ),
        ("{{ 1 + 2 * 3 }} {{ (1 + 2) * 3 }} {{ 10 - 2 - 3 }} {{ 6 / 3 }} {{ 1.5 + 1 }}", "7 9 5 2.0 2.5"),
        ("{{ 'a' ~ 1 ~ none }} {{ 'ab' * 3 }} {{ [1] + [2] }} {{ 'x' + 'y' }}", "a1None ababab [1, 2] xy"),
        ("{{ -n }} {{ -f }} {{ n * f }} {{ 0.1 + 0.2 }} {{ 10 / 4 }}", "-7 -2.5 17.5 0.30000000000000004 2.5"),
        ("{{ 1 < 2 < 3 }} {{ 1 < 3 < 2 }} {{ 1 == 1.0 }} {{ 'a' != 'b' }} {{ 2 >= 2 }}", "True False True True True"),
        ("{{ 1 in items }} {{ 5 not in items }} {{ 'ell' in 'hello' }} {{ 'a' in d }}", "True True True True"),
        (
            "{{ not true }} {{ true and false }} {{ false or 'x' }} {{ 0 or [] or 'z' }} {{ 1 and 2 }}",
            "False False x z 2"
        ),
        ("{{ 'yes' if n > 5 else 'no' }} {{ 'yes' if n > 50 else 'no' }} [{{ 'only' if false }}]", "yes no []"),
        (
            "{{ d.a }} {{ d['b'] }} {{ items[0] }} {{ items[-1] }} {{ nested.x.y }} {{ users[1].name }}",
            "1 2 3 2 deep bob"
        ),
        (
            "{{ items[1:] }} {{ items[:2] }} {{ items[::-1] }} {{ 'hello'[1:3] }} {{ 'hello'[::-1] }} {{ items[::2] }}",
            "[1, 2] [3, 1] [2, 1, 3] el olleh [3, 2]"
        ),
        ("{{ d.missing }}|{{ items[10] }}|{{ d.missing is defined }}", "||False"),
        ("a  {{- 'b' -}}  c", "abc"),
        ("x\n{% if true %}\ny\n{% endif %}\nz", "x\n\ny\n\nz"),
        ("x\n{%- if true -%}\ny\n{%- endif -%}\nz", "xyz"),
        ("{# comment #}a{#- c -#} b", "ab"),
        ("line1\n", "line1\n"),
        ("{% raw %}{{ not rendered }}{% endraw %}", "{{ not rendered }}"),
        ("{% if n > 10 %}big{% elif n > 5 %}mid{% else %}small{% endif %}", "mid"),
        ("{% if empty %}x{% else %}empty{% endif %}{% if d %}has{% endif %}", "emptyhas"),
        ("{% if undefined_thing %}x{% elif not undefined_thing %}not{% endif %}", "not"),
        ("{% for i in items %}{{ loop.index }}:{{ i }}{% if not loop.last %},{% endif %}{% endfor %}", "1:3,2:1,3:2"),
        (
            "{% for i in items %}{{ loop.index0 }}{{ loop.revindex }}{{ loop.revindex0 }}{{ loop.first }}{{ loop.length }} {% endfor %}",
            "032True3 121False3 210False3 "
        ),
        ("{% for k, v in d.items() %}{{ k }}={{ v }};{% endfor %}", "a=1;b=2;"),
        ("{% for k in d %}{{ k }}{% endfor %}", "ab"),
        ("{% for i in empty %}x{% else %}none{% endfor %}", "none"),
        ("{% for i in items if i > 1 %}{{ i }}{{ loop.length }}{% endfor %}", "3222"),
        (
            "{% for i in range(3) %}{% for j in range(2) %}{{ i }}{{ j }}{{ loop.parent is defined }} {% endfor %}{% endfor %}",
            "00False 01False 10False 11False 20False 21False "
        ),
        ("{% for a, b in [(1, 2), (3, 4)] %}{{ a + b }}{% endfor %}", "37"),
        ("{% for c in 'abc' %}{{ c }}-{% endfor %}", "a-b-c-"),
        (
            "{% for i in range(1, 10, 3) %}{{ i }}{% endfor %}|{% for i in range(5, 0, -2) %}{{ i }}{% endfor %}",
            "147|531"
        ),
        ("{% for i in items %}{{ loop.cycle('odd', 'even') }}{% endfor %}", "oddevenodd"),
        ("{% for i in items %}{{ loop.previtem }}-{{ loop.nextitem }} {% endfor %}", "-1 3-2 1- "),
        ("{% set x = 5 %}{{ x }}{% set a, b = 1, 2 %}{{ a }}{{ b }}", "512"),
        ("{% set x = 1 %}{% for i in items %}{% set x = i %}{% endfor %}{{ x }}", "1"),
        (
            "{% set ns = namespace(total=0) %}{% for i in items %}{% set ns.total = ns.total + i %}{% endfor %}{{ ns.total }}",
            "6"
        ),
        ("{% set block %}inner {{ n }}{% endset %}[{{ block }}]", "[inner 7]"),
        ("{% set block | upper %}inner{% endset %}{{ block }}", "INNER"),
        (
            "{% set cols = ['a', 'b', 'c'] %}\nselect\n{%- for c in cols %}\n    {{ c }}{% if not loop.last %},{% endif %}\n{%- endfor %}\nfrom t\n",
            "\nselect\n    a,\n    b,\n    c\nfrom t\n"
        ),
        (
            "{%- set cols = ['a', 'b'] -%}\nselect\n  {% for c in cols -%}\n  {{ c }}{{ ',' if not loop.last }}\n  {% endfor -%}\nfrom t",
            "select\n  a,\n  b\n  from t"
        ),
        (
            "{% set xs = [] %}{% do xs.append(1) %}{% do xs.extend([2, 3]) %}{{ xs }} {{ xs.pop() }} {{ xs }}",
            "[1, 2, 3] 3 [1, 2]"
        ),
        ("{% set xs = [1, 2] %}{% do xs.insert(0, 9) %}{{ xs }} {{ xs.index(2) }}", "[9, 1, 2] 2"),
        (
            "{% set m = {'a': 1} %}{% do m.update({'b': 2}) %}{{ m }} {{ m.get('c', 'dflt') }} {{ m.get('a') }} {{ m.keys() | list }} {{ m.values() | list }}",
            "{'a': 1, 'b': 2} dflt 1 ['a', 'b'] [1, 2]"
        ),
        ("{% set m = {'a': 1} %}{{ m.pop('a') }}{{ m }}{{ m.setdefault('z', 3) }}{{ m }}", "1{}3{'z': 3}"),
        (
            "{{ 'Hello'.upper() }} {{ 'Hello'.lower() }} {{ '  x  '.strip() }}| {{ 'xxhixx'.strip('x') }} {{ ' a'.lstrip() }} {{ 'a '.rstrip() }}|",
            "HELLO hello x| hi a a|"
        ),
        (
            "{{ 'a,b,c'.split(',') }} {{ 'a b  c'.split() }} {{ 'a-b-c'.split('-', 1) }} {{ 'abc'.replace('b', 'X') }}",
            "['a', 'b', 'c'] ['a', 'b', 'c'] ['a', 'b-c'] aXc"
        ),
        (
            "{{ 'abc'.startswith('ab') }} {{ 'abc'.endswith('bc') }} {{ '{}-{}'.format(1, 'x') }} {{ '{a}!'.format(a=3) }} {{ ', '.join(['x', 'y']) }}",
            "True True 1-x 3! x, y"
        ),
        ("{{ 'hello world'.title() }} {{ 'hELLO'.capitalize() }}", "Hello World Hello"),
        ("{{ '%s is %d' % ('x', 3) }} {{ '%05.2f' % 3.14159 }} {{ '%-4s|' % 'ab' }}", "x is 3 03.14 ab  |"),
        (
            "{{ name | upper }} {{ name | lower }} {{ 'hello wORLD' | title }} {{ 'hello' | capitalize }} [{{ s | trim }}]",
            "WORLD world Hello World Hello [Hello World]"
        ),
        (
            "{{ 'aaa' | replace('a', 'b') }} {{ 'aaa' | replace('a', 'b', 2) }} {{ items | join(',') }} {{ users | join(', ', attribute='name') }}",
            "bbb bba 3,1,2 ann, bob, cy"
        ),
        ("{{ items | length }} {{ 'abc' | count }} {{ d | length }} {{ undefined_thing | length }}", "3 3 2 0"),
        (
            "{{ undefined_thing | default('dflt') }} {{ '' | default('e') }} {{ '' | default('e', true) }} {{ none | d('n', true) }} {{ name | d('x') }}",
            "dflt  e n World"
        ),
        ("{{ 'abc' | list }} {{ items | first }} {{ items | last }} {{ 'abc' | first }}", "['a', 'b', 'c'] 3 2 a"),
        (
            "{{ items | sort }} {{ items | sort(reverse=true) }} {{ words | sort }} {{ words | sort(case_sensitive=true) }} {{ users | sort(attribute='age') | map(attribute='name') | join }}",
            "[1, 2, 3] [3, 2, 1] ['A', 'a', 'b', 'c'] ['A', 'a', 'b', 'c'] bobanncy"
        ),
        (
            "{{ words | unique | list }} {{ [1, 2, 1, 3, 2] | unique | list }} {{ items | reverse | list }} {{ 'abc' | reverse }}",
            "['b', 'A', 'c'] [1, 2, 3] [2, 1, 3] cba"
        ),
        (
            "{{ 2.5 | round }} {{ 3.5 | round }} {{ 2.567 | round(2) }} {{ 2.1 | round(0, 'ceil') }} {{ 2.9 | round(method='floor') }} {{ 42 | round }}",
            "2.0 4.0 2.57 3.0 2.0 42"
        ),
        (
            "{{ '42' | int }} {{ '4.7' | int }} {{ 'x' | int }} {{ 'x' | int(5) }} {{ 3.9 | int }} {{ '1.5' | float }} {{ 3 | float }} {{ 'y' | float }}",
            "42 4 0 5 3 1.5 3.0 0.0"
        ),
        ("{{ 3 | string }} {{ -5 | abs }} {{ -2.5 | abs }}", "3 5 2.5"),
        (
            "{{ d | tojson }} {{ [1, 'a', none, true] | tojson }} {{ '<a&\\'>' | tojson }}",
            "{\"a\": 1, \"b\": 2} [1, \"a\", null, true] \"\\u003ca\\u0026\\u0027\\u003e\""
        ),
        (
            "{{ 'a\\nb\\n\\nc' | indent }}|{{ 'a\\nb' | indent(2, true) }}|{{ 'a\\n\\nb' | indent(2, blank=true) }}",
            "a\n    b\n\n    c|  a\n  b|a\n  \n  b"
        ),
        ("{{ '%s-%s' | format(1, 'b') }}", "1-b"),
        (
            "{{ users | map(attribute='name') | list }} {{ words | map('upper') | list }} {{ items | map('string') | join('|') }}",
            "['ann', 'bob', 'cy'] ['B', 'A', 'C', 'A'] 3|1|2"
        ),
        (
            "{{ items | select('odd') | list }} {{ items | reject('odd') | list }} {{ [0, 1, '', 'a'] | select | list }} {{ items | select('gt', 1) | list }}",
            "[3, 1] [2] [1, 'a'] [3, 2]"
        ),
        (
            "{{ users | selectattr('age', 'gt', 26) | map(attribute='name') | list }} {{ users | rejectattr('age', 'gt', 26) | map(attribute='name') | list }}",
            "['ann', 'cy'] ['bob']"
        ),
        (
            "{{ d | items | list }} {{ items | sum }} {{ users | sum(attribute='age') }} {{ [1.5, 2] | sum }}",
            "[('a', 1), ('b', 2)] 6 90 3.5"
        ),
        (
            "{{ items | min }} {{ items | max }} {{ words | min }} {{ words | max }} {{ users | max(attribute='age') }}",
            "1 3 A c {'age': 35, 'name': 'cy'}"
        ),
        (
            "{{ 'hello world foo bar' | truncate(9) }} {{ 'hello world foo bar' | truncate(9, true) }} {{ 'short' | truncate(3) }} {{ 'hello world' | wordcount }}",
            "hello... hello ... short 2"
        ),
        (
            "{{ [1, 2, 3, 4, 5] | batch(2) | list }} {{ [1, 2, 3] | batch(2, 'x') | list }}",
            "[[1, 2], [3, 4], [5]] [[1, 2], [3, 'x']]"
        ),
        (
            "{{ {'b': 1, 'a': 2} | dictsort }} {{ {'b': 1, 'a': 2} | dictsort(by='value') }}",
            "[('a', 2), ('b', 1)] [('b', 1), ('a', 2)]"
        ),
        ("{% filter upper %}shout {{ name }}{% endfilter %}", "SHOUT WORLD"),
        (
            "{{ none is none }} {{ 1 is number }} {{ 'a' is string }} {{ d is mapping }} {{ items is iterable }} {{ 3 is odd }} {{ 4 is even }} {{ 9 is divisibleby 3 }} {{ 9 is divisibleby(2) }}",
            "True True True True True True True True False"
        ),
        (
            "{{ 1 is in items }} {{ 2 is eq 2 }} {{ 2 is equalto 3 }} {{ 'abc' is lower }} {{ 'ABC' is upper }} {{ true is true }} {{ 0 is false }} {{ none is sameas none }}",
            "True True False True True True False True"
        ),
        ("{{ x is not defined }} {{ name is defined }} {{ name is not none }}", "True True True"),
        ("a\n  {%+ if true %}b{% endif +%}\nc", "a\n  b\nc"),
        ("{{ 'a' if none else 'b' }} {{ {'a': 1}.a }} {{ d['a'] + d.b }} {{ (items | list)[0] }}", "b 1 3 3"),
        (
            "{% set x %}{% for i in range(3) %}{{ i }}{% endfor %}{% endset %}{{ x | length }} {{ '%.2f' | format(3.14159) }} {{ 10 | string ~ '%' }}",
            "3 3.14 10%"
        ),
        (
            "{{ none | string }} {{ [none, 1] | join(',') }} {{ 3.0 }} {{ 1e20 }} {{ 1.5e-7 }} {{ 100.0 / 3 }} {{ 2 ** 0.5 }}",
            "None None,1 3.0 1e+20 1.5e-07 33.333333333333336 1.4142135623730951"
        ),
        ("{% set a = [1, 2] %}{% set b = a %}{% do b.append(3) %}{{ a }}", "[1, 2, 3]"),
        (
            "{{ users | selectattr('name', 'equalto', 'bob') | list | length }} {{ 'a b' | replace(' ', '_') | upper }} {{ -1 | abs }} {{ not 1 == 2 }}",
            "1 A_B 1 True"
        ),
        (
            "{{ items|length > 2 and 'long' or 'short' }} {% set cfg = {'a': {'b': [1, {'c': 'deep'}]}} %}{{ cfg.a.b[1].c }} {{ 'Hello %s' | format(name) }} {{ name[0] }}{{ name[-1] }}",
            "long deep Hello World Wd"
        ),
        (
            "{{ 7 // 2.0 }} {{ 7.5 % 2 }} {{ [3, 1, 2] | sort | first }} {{ 'a,b' is string and 'a,b'.split(',') | length == 2 }}",
            "3.0 1.5 1 True"
        ),
        (
            "{% if 'x' in 'xyz' and not ('q' in 'xyz') %}ok{% endif %} {{ range(3) | list }} {{ dict(a=1, b=2) }} {{ namespace(a=1).a }}",
            "ok [0, 1, 2] {'a': 1, 'b': 2} 1"
        ),
        (
            "{{ 'yes' if undefined_thing is defined else 'no' }} {% for k, v in {'b': 2, 'a': 1} | dictsort %}{{ k }}{{ v }}{% endfor %} {{ (1, 2) | list }} {{ [1, 2] | tojson }}",
            "no a1b2 [1, 2] [1, 2]"
        ),
        ("{% for u in users %}{{ u.name }}{{ ', ' if not loop.last }}{% endfor %}", "ann, bob, cy"),
        ("{%- for i in items -%}\n  {{ i }}\n{%- endfor %}", "312"),
        ("{{ 'x' ~ [1] }} {{ 'n=%d' % 5 }} {{ '%s/%s' % (1, 2) }} {{ 'q' * 0 }}|", "x[1] n=5 1/2 |"),
        ("{% set t = (1, 'a') %}{{ t[1] }}{{ t | length }} {{ [[1, 2], [3]] | sum(start=[]) }}", "a2 [1, 2, 3]"),
        (
            "{{ d.get('a') }} {{ d.get('zz', 0) }} {{ d | length }} {{ 'b' in d.keys() }} {{ d.items() | list }}",
            "1 0 2 True [('a', 1), ('b', 2)]"
        ),
        (
            "{{ ' x '.strip() == 'x' }} {{ 'abc'.upper().lower() }} {{ ['b', 'a'] | sort | join }} {{ 'CamelCase'.lower() }}",
            "True abc ab camelcase"
        ),
        (
            "{{ 5 is divisibleby 5 }} {{ 'abc' is sameas 'abc' }} {{ items is sequence }} {{ d is iterable }} {{ 1 is integer }} {{ 1.0 is float }}",
            "True False True True True True"
        ),
        ("{{ '0b11' | int(0, 2) }} {{ '0x1F' | int(0, 16) }} {{ 'ff' | int(base=16) }}", "3 31 255"),
        (
            "{{ 'abc' is lower }} {{ 'aBc' is lower }} {{ '' is upper }} {{ '1' is lower }} {{ 'A1' is upper }}",
            "True False False False True"
        ),
        (
            "{% for age, group in users | groupby('age') %}{{ age }}:{{ group | map(attribute='name') | join }};{% endfor %}",
            "25:bob;30:ann;35:cy;"
        ),
        ("{% for g in words | groupby('0') %}{{ g.grouper }}{{ g.list }};{% endfor %}", "A['A', 'a'];b['b'];c['c'];"),
        (
            "{% for g in [{'k': 'a'}, {'k': 'A'}, {'k': 'b'}] | groupby('k') %}{{ g[0] }}{{ g[1] | length }};{% endfor %}",
            "a2;b1;"
        ),
        (
            "[{{ 'x' | center(5) }}] [{{ 'ab' | center(5) }}] [{{ 'ab' | center(6) }}] [{{ 'abc' | center(6) }}] [{{ 'abc' | center(2) }}]",
            "[  x  ] [  ab ] [  ab  ] [ abc  ] [abc]"
        ),
        (
            "{{ '<a href=\"x\">&\\'</a>' | e }} {{ 'x' | safe }} {{ d | attr('a') }} {{ [1, 'a'] | pprint }}",
            "&lt;a href=&#34;x&#34;&gt;&amp;&#39;&lt;/a&gt; x  [1, 'a']"
        ),
        ("{% for i in range(3) -%}\n  {{ i }}\n{%- endfor %}", "012"),
        ("{% for i in range(3) %}\n  {{ i }}\n{% endfor %}", "\n  0\n\n  1\n\n  2\n"),
        ("{%- for i in range(2) -%}\n{{ i }},\n{%- endfor -%}\n", "0,1,"),
        ("  {%- if true -%}  x  {%- endif -%}  \n", "x"),
        ("a\n{% set x = 1 %}\nb\n{%- set y = 2 -%}\nc", "a\n\nbc"),
        ("{% macro m(x) -%}\n  <{{ x }}>\n{%- endmacro -%}\n{{ m(1) }}\n{{ m(2) }}", "<1>\n<2>"),
        (
            "select\n  {%- for c in ['a', 'b'] %}\n  {{ c }}{{ \",\" if not loop.last }}\n  {%- endfor %}\nfrom t",
            "select\n  a,\n  b\nfrom t"
        ),
        ("{% macro m() %}{{ caller(1, 2) }}{% endmacro %}{% call(a, b) m() %}{{ a }}+{{ b }}{% endcall %}", "1+2"),
        (
            "{% macro m() %}{{ caller() }}{{ caller() }}{% endmacro %}{% set n = namespace(c=0) %}{% call m() %}{% set n.c = n.c + 1 %}{{ n.c }}{% endcall %}",
            "12"
        ),
        (
            "{% macro outer() %}[{{ caller() }}]{% endmacro %}{% macro inner() %}({{ caller() }}){% endmacro %}{% call outer() %}{% call inner() %}x{% endcall %}{% endcall %}",
            "[(x)]"
        ),
        ("{% macro m(a, b=[]) %}{% do b.append(a) %}{{ b }}{% endmacro %}{{ m(1) }}{{ m(2) }}", "[1][2]"),
        (
            "{% set parts = [] %}{% for u in users %}{% if u.age > 26 %}{% do parts.append(u.name | upper) %}{% endif %}{% endfor %}{{ parts | join(' and ') }}",
            "ANN and CY"
        ),
        (
            "{% set cfg = {'cols': ['a', 'b'], 'where': none} %}select {{ cfg.cols | join(', ') }} from t{% if cfg.where %} where {{ cfg.where }}{% endif %}",
            "select a, b from t"
        ),
        ("{%- set sql -%}\n  select 1\n{%- endset -%}\n[{{ sql }}]", "[select 1]"),
        ("{{ \"{{ not a tag }}\" }} {{ '{% x %}' }}", "{{ not a tag }} {% x %}"),
        ("{% set x = [1, 2, 3] %}{{ x | length }}{{ x[1:] | sum }}{{ x | map('string') | join }}", "35123"),
        ("{{ \"%s and %s\" % (\"a\", \"b\") }} {{ \"%s\" % [1] }} {{ \"%s\" % ((1, 2),) }}", "a and b [1] (1, 2)"),
        (
            "{% set d2 = {'k': 'v'} %}{% for k in d2 %}{{ k }}={{ d2[k] }}{% endfor %}{% for k, v in d2.items() %}{{ k }}{{ v }}{% endfor %}",
            "k=vkv"
        ),
        ("{% if d.a == 1 and d.b == 2 %}both{% endif %}{% if not d.c %}noc{% endif %}", "bothnoc"),
        (
            "{{ users | selectattr('age', '>', 26) | list | length }} {{ users | selectattr('age', 'ge', 30) | map(attribute='name') | join }}",
            "2 anncy"
        ),
        ("{{ [none, 1, none] | select('none') | list | length }} {{ [none, 1] | reject('none') | list }}", "2 [1]"),
        (
            "{{ ['a', 'b'] | map('upper') | join }} {{ ['1', '2'] | map('int') | sum }} {{ [1.6, 2.4] | map('round') | list }}",
            "AB 3 [2.0, 2.0]"
        ),
        ("{{ 'a' is in 'abc' }} {{ 'x' is in ['x'] }} {{ 2 is in d.values() }}", "True True True"),
        ("{{ items | batch(2) | map('sum') | list }}", "[4, 2]"),
        ("{{ ['b', 'a'] | sort | first }}{{ 'cba' | sort | join }}", "aabc"),
        ("{{ {'a': 1}.items() | list }} {{ {'a': 1}.keys() | first }}", "[('a', 1)] a"),
        ("{{ [1, 2, 3] | reverse | join(',') }} {{ (1, 2) | reverse | list }}", "3,2,1 [2, 1]"),
        ("{{ 'long text here' | truncate(9, end='..') }}", "long text here"),
        ("{{ 3 // 2 * 2 }} {{ 2 ** 2 * 3 }} {{ 10 - 2 * 3 }} {{ (10 - 2) * 3 }} {{ 7 % 4 ** 2 }}", "2 12 4 24 7"),
        ("{{ 'a' < 'B' }} {{ 'B' < 'a' }} {{ 1 < 1.5 }}", "False True True"),
        (
            "{{ none | default('x') }} {{ none | default('x', true) }} {{ false | default('x') }} {{ false | d('x', true) }}",
            "None x False x"
        ),
        ("{{ 'abc'.find('c') }} {{ 'abc'.count('b') }} {{ 'a1'.isdigit() }} {{ '12'.isdigit() }}", "2 1 False True"),
        (
            "{% set t = 'Hello' %}{{ t[0] }}{{ t[1:3] }}{{ t | list | length }}{{ t.lower().startswith('he') }}",
            "Hel5True"
        ),
        ("{{ [1, 2, 3][1] }} {{ {'a': [1, {'b': 2}]}['a'][1]['b'] }} {{ ('x', 'y')[-1] }}", "2 2 y"),
        (
            "{% set n = 3 %}{% for i in range(n) %}{% for j in range(i) %}{{ i }}{{ j }} {% endfor %}{% endfor %}",
            "10 20 21 "
        ),
        ("{% for x in [1, 2, 3] if x != 2 %}{{ loop.index }}{{ x }}{{ loop.last }} {% endfor %}", "11False 23True "),
        ("{{ loop is defined }}{% for x in [1] %}{{ loop is defined }}{% endfor %}", "FalseTrue"),
        ("{% for x in [1, 2] %}{% set y = x * 10 %}{{ y }}{% endfor %}{{ y is defined }}", "1020False"),
        ("{% set x = 5 %}{% macro show() %}{{ x }}{% endmacro %}{{ show() }}", "5"),
        ("{% macro show() %}{{ q }}{% endmacro %}{% set q = 'late' %}{{ show() }}", "late"),
        (
            "{{ varargs is defined }}{% macro m() %}{{ varargs is defined }}{{ kwargs is defined }}{{ caller is defined }}{% endmacro %}{{ m() }}",
            "FalseTrueTrueFalse"
        ),
        ("\n\n{% raw -%} {{x}} {% endraw -%} x {% set q = 1 -%}\t{{ none -}}  \n  ", "\n\n{{x}} x None"),
        ("a{%- raw -%}\n\n{{x}}\n\n{%+ endraw -%}a", "a{{x}}\n\na"),
        ("{% raw %} {{x}} {%- endraw %}|{%- raw %} y {% endraw -%} |", " {{x}}| y |"),
        (
            "{{ ((f if (1,) | length else '') if (((1,) is not true) if -3 | upper else (f is not false)) else n) }}",
            "2.5"
        ),
        ("{{ (not [(0.1 is iterable), ('a' if -3 else 0)]) }}", "False"),
        ("{{ (((false / 1) or (2.5 is not divisibleby 2)) ~ (empty is not number)) }}", "TrueTrue"),
        (
            "{{ (('a' | last and 'bc' | string) if (not (0.1 if 'a' else {'a': 1})) else (([1, 2] and 1) != 'bc' | unique)) }}",
            "True"
        ),
        ("{{ ((0.1 if [] else (0 is not iterable)) if (1,) else ((not '') * 0.1 | tojson)) }}", "True"),
        ("{{ (2.5 if ('' or (n * 'a')) else {'a': 1}) }}", "2.5"),
        ("{{ (not ({'a': 1} is not none)) | capitalize }}", "False"),
        ("{{ [[(empty * 2), ([1, 2] is true)], f] }}", "[[[], False], 2.5]"),
        ("{{ (((1 ** 2) - (2.5 is not even)) == ((-3 == 1) if name | float else ({'a': 1} is false))) }}", "True"),
        ("{{ (([] is not none) | default(7) * false) }}", "0"),
        ("{{ ((not ([] * 1)) if [(empty and none), [-3, 'bc']] else f) }}", "True"),
        ("{{ [((f in []) - n), [empty, false | wordcount]] }}", "[-7, [[], 1]]"),
        ("{{ ((true if '' else nope) | length or (1 is not false)) }}", "True"),
        ("{{ ((0.1 is not iterable) is not iterable) }}", "True"),
        ("{{ (2 if n else 2.5) | tojson | length }}", "1"),
        ("{{ (not ((empty or nope) if ('a' is not false) else empty)) }}", "True"),
        ("{{ (((true if n else f) not in empty) < false) }}", "False"),
        ("{{ [true, items] | default(7) | string }}", "[True, [3, 1, 2]]"),
        ("{{ (2 | string | string != empty | float) }}", "True"),
        ("{{ ((false == items) | default(7) is not string) }}", "True"),
        ("{{ ([] if (-3 + (f and false)) else ([(1,), f] is not defined)) }}", "[]"),
        ("{{ ((0 or nope) if (2 | title % []) else ((not none) ~ [] | last)) }}", ""),
        ("{{ (((nope is not defined) + (not [])) is lower) }}", "False"),
        ("{{ ((false >= false) is not iterable) | string }}", "True"),
        ("{{ ('a' if (not (not none)) else ('a' | string != [])) }}", "True"),
        ("{{ (-3 if (1 or d) else ('bc' > 2)) | d(0, true) }}", "-3"),
        ("{{ (-3 + ((false is even) is not lower)) }}", "-2"),
        ("{{ ([true | title, 'a' | tojson] == [0, (none or 'a')]) }}", "False"),
        (
            "{{ (((none not in items) is lower) if [(2.5 is none), ''] else ((empty not in (1,)) * (false ~ 2.5))) }}",
            "False"
        ),
        ("{{ ((0.1 if false else false) >= (('bc' ~ (1,)) is true)) }}", "True"),
        ("{{ (items | first != (false or (not 2))) }}", "True"),
        ("{{ ([] and (1 | default(7) <= (0.1 is not even))) }}", "[]"),
        ("{{ ((1 if f else nope) | wordcount > (not ((1,) + (1,)))) }}", "True"),
        ("{{ ((not [-3, 0.1]) == [1, 2] | d(0, true)) }}", "False"),
        ("{{ [(not []), ((2 >= f) - (f if empty else n))] }}", "[True, -7]"),
        ("{{ ((2 if (items if (1,) else none) else nope) if d else 2) }}", "2"),
        ("{{ ((2 is not lower) / (not (0 if name else 0))) }}", "1.0"),
        ("{{ [items, ((true + n) > ('' if '' else 2.5))] }}", "[[3, 1, 2], True]"),
        ("{{ ([] | last if 'bc' else (0.1 / {'a': 1})) }}", ""),
        ("{{ (([false, none] == -3) is not defined) }}", "False"),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{% for i in 'ab' %}{{ 2 + 2 }};{% endfor %}|{{ x }}|{{ xs }}|{{ ns.t }}",
            "4;4;|0|[]|0"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{% for i in xs %}{{ i }}{% endfor %}{{ x ~ i }};|{{ x }}|{{ xs }}|{{ ns.t }}",
            "0;|0|[]|0"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{% for i in 'ab' %}{% set ns.t = ns.t + 1 %}{% endfor %}|{{ x }}|{{ xs }}|{{ ns.t }}",
            "|0|[]|2"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{% for i in 'ab' %}{% set x = x %}{% else %}E{% endfor %}|{{ x }}|{{ xs }}|{{ ns.t }}",
            "|0|[]|0"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{% for i in [] %}{% set x = xs | join(',') %}{% endfor %}|{{ x }}|{{ xs }}|{{ ns.t }}",
            "|0|[]|0"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{% for i in range(3) %}{{ i * 2 }};{% else %}E{% endfor %}|{{ x }}|{{ xs }}|{{ ns.t }}",
            "0;2;4;|0|[]|0"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{% for i in range(3) %}{% set ns.t = ns.t + 1 %}{% endfor %}|{{ x }}|{{ xs }}|{{ ns.t }}",
            "|0|[]|3"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{% for i in [] %}{{ items | length + items | length }} {% endfor %}|{{ x }}|{{ xs }}|{{ ns.t }}",
            "|0|[]|0"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{% set x = x %}{% for i in [] %}{{ loop.index }} {% endfor %}{{ i }} |{{ x }}|{{ xs }}|{{ ns.t }}",
            " |0|[]|0"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{{ 's' }};{% for i in xs if i != 2 %}{% set ns.t = ns.t + 1 %}{% endfor %}|{{ x }}|{{ xs }}|{{ ns.t }}",
            "s;|0|[]|0"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{% macro mm(a, b=2) %}{{ ns.t }} {{ a }}{{ b }}{% endmacro %}{{ mm(x ~ i) }}|{{ x }}|{{ xs }}|{{ ns.t }}",
            "0 02|0|[]|0"
        ),
        (
            "{% set x = 0 %}{% set xs = [] %}{% set ns = namespace(t=0) %}{{ 's' }} {% set x = d.a %}{% for i in items %}{{ loop.length }};{% endfor %}|{{ x }}|{{ xs }}|{{ ns.t }}",
            "s 3;3;3;|1|[]|0"
        ),
        (
            "{% if 1: %}a{% endif %}{% for i in range(5): %}{% if i == 3 %}{% break %}{% endif %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{% endfor %}",
            "a02"
        ),
        (
            "{% for i in range(3) %}{% if i == 1 %}{% continue %}{% endif %}{{ i }}{{ loop.last }}{% else %}E{% endfor %}",
            "0False2True"
        ),
        (
            "{% for row in [[1, 2], [3, 4]] %}{% for c in row %}{% if c == 2 %}{% break %}{% endif %}{{ c }}{% endfor %};{% endfor %}",
            "1;34;"
        ),
        ("{% set j = joiner(' | ') %}{% for i in items %}{{ j() }}{{ i }}{% endfor %}", "3 | 1 | 2"),
        (
            "{% set c = cycler('odd', 'even') %}{% for i in items %}{{ c.next() }}{% endfor %} {{ c.current }}{% do c.reset() %} {{ c.current }}",
            "oddevenodd even odd"
        ),
        (
            "{% macro greet(who, punct='!') %}Hello {{ who }}{{ punct }}{% endmacro %}{{ greet('Ann') }} {{ greet('Bob', '?') }} {{ greet(who='Cy', punct='.') }}",
            "Hello Ann! Hello Bob? Hello Cy."
        ),
        ("{% macro m(a) %}{{ a }}|{{ varargs }}|{{ kwargs }}{% endmacro %}{{ m(1, 2, 3, x=4) }}", "1|(2, 3)|{'x': 4}"),
        (
            "{% macro wrap(tag) %}<{{ tag }}>{{ caller() }}</{{ tag }}>{% endmacro %}{% call wrap('b') %}bold {{ name }}{% endcall %}",
            "<b>bold World</b>"
        ),
        (
            "{% macro each(xs) %}{% for x in xs %}{{ caller(x) }}{% endfor %}{% endmacro %}{% call(v) each([1, 2]) %}[{{ v }}]{% endcall %}",
            "[1][2]"
        ),
        ("{% macro d2(a, b=a * 2) %}{{ a }},{{ b }}{% endmacro %}{{ d2(3) }}", "3,6"),
        (
            "{% macro m() %}{{ top }}{% endmacro %}{% set top = 1 %}{{ m() }}{% for top in [5] %}{{ m() }}{% endfor %}",
            "11"
        ),
        ("{% for i in range(3) %}{% if i == 0 %}{% set x = 'a' %}{% endif %}{{ x }};{% endfor %}", "a;;;"),
        ("{% set x = 1 %}{% for i in range(2) %}{{ x }}{% set x = 5 %}{{ x }};{% endfor %}{{ x }}", "15;15;1"),
        ("{% if true %}{% set y = 2 %}{% endif %}{{ y }}", "2"),
        ("{% macro rec(n) %}{% if n > 0 %}{{ n }}{{ rec(n - 1) }}{% endif %}{% endmacro %}{{ rec(3) }}", "321"),

    ]

    @Test(arguments: cases)
    func rendersLikeJinja(_ template: String, _ expected: String) throws {
        let parsed = try Template.parse(template, file: "models/case.sql")
        #expect(try parsed.render(Self.context()) == expected)
    }
}
