import Foundation
import Testing

@testable import ModelCompiler

/// Installed packages (`dbt_packages/<name>/` with its dbt_project.yml) are part of the project:
/// their macros answer namespaced and by plain name in dbt's order, their test macros win over
/// sqlt's built-in copies, their docs blocks are visible, and a requested package that is not
/// installed is an error asking for `sqlt deps`. No database.
@Suite struct InstalledPackageTests {
    static let project: [String: String] = [
        "dbt_project.yml": "name: shop\nprofile: shop\n",
        "packages.yml": "packages:\n  - package: acme-labs/helpers\n    version: 1.0.0\n",
        "macros/own.sql": """
        {% macro shout(x) %}upper({{ x }}){% endmacro %}
        {% macro suffix() %}root{% endmacro %}
        """,
        "dbt_packages/helpers/dbt_project.yml": "name: helpers\nversion: '1.0.0'\nmacro-paths: [\"macros\"]\n",
        "dbt_packages/helpers/macros/wrap.sql": """
        {% macro wrap(x) %}({{ x }})_{{ suffix() }}{% endmacro %}
        {% macro suffix() %}helpers{% endmacro %}
        {% macro only_here() %}only_in_helpers{% endmacro %}
        """,
        "dbt_packages/helpers/macros/tests.sql": """
        {% test expression_is_true(model, expression) %}
        {{ config(fail_calc='sum(1)', severity='warn') }}
        select 'from the package' as origin from {{ model }} where not ({{ expression }})
        {% endtest %}
        """,
        "dbt_packages/helpers/models/docs.md": "{% docs shared_doc %}written in the package{% enddocs %}",
        "models/orders.sql": """
        select {{ helpers.wrap('a') }} as a, {{ wrap('b') }} as b, {{ only_here() }} as c,
               {{ suffix() }} as d, {{ shop.shout('e') }} as e
        """,
        "models/schema.yml": """
        version: 2
        models:
          - name: orders
            description: "{{ doc('shared_doc') }}"
            data_tests:
              - helpers.expression_is_true:
                  expression: "a is not null"
              - dbt_utils.expression_is_true:
                  expression: "b is not null"
                  config:
                    severity: "{{ 'warn' if target.type in ['spark'] else 'error' }}"
        """,
    ]

    static func compile(_ files: [String: String]) throws -> CompiledProject {
        try ProjectLoader.compile(fs: InMemoryFileSystem(files), options: CompileOptions(checkSQL: false))
    }

    @Test func packageMacrosResolveNamespacedAndInDbtOrder() throws {
        let project = try Self.compile(Self.project)
        let sql = project.manifest.nodes["model.shop.orders"]?.compiledCode ?? ""
        // `wrap` runs inside the package, so its `suffix()` is the package's own; the model's
        // plain `suffix()` is the root project's; `only_here()` falls back to the package.
        #expect(sql.contains("(a)_helpers as a"))
        #expect(sql.contains("(b)_helpers as b"))
        #expect(sql.contains("only_in_helpers as c"))
        #expect(sql.contains("root as d"))
        #expect(sql.contains("upper(e) as e"))
        #expect(project.manifest.macros["macro.helpers.wrap"]?.packageName == "helpers")
        #expect(
            project.manifest.macros["macro.helpers.wrap"]?.originalFilePath == "dbt_packages/helpers/macros/wrap.sql")
        #expect(project.manifest.macros["macro.shop.shout"]?.packageName == "shop")
        #expect(project.manifest.nodes["model.shop.orders"]?.description == "written in the package")
        #expect(project.manifest.docs["doc.helpers.shared_doc"]?.packageName == "helpers")
    }

    @Test func packageTestMacroWinsOverTheBuiltInCopy() throws {
        let project = try Self.compile(Self.project)
        let tests = project.manifest.nodes.values.filter { $0.resourceType == .test }
        let fromPackage = try #require(tests.first { $0.testMetadata?.namespace == "helpers" })
        #expect(fromPackage.compiledCode?.contains("'from the package' as origin") == true)
        #expect(fromPackage.dependsOn.macros == ["macro.helpers.test_expression_is_true"])
        // The macro's own config() applies where the test sets nothing (severity is set: ERROR).
        #expect(fromPackage.config["fail_calc"] == "sum(1)")
        #expect(fromPackage.config["severity"] == "ERROR")
        // dbt_utils is not installed: its name still reaches sqlt's built-in test.
        let builtin = try #require(tests.first { $0.testMetadata?.namespace == "dbt_utils" })
        #expect(builtin.compiledCode?.contains("from the package") == false)
        #expect(builtin.compiledCode?.contains("b is not null") == true)
        #expect(builtin.config["severity"] == "error")  // a Jinja config value, rendered
    }

    @Test func requestedPackageNotInstalledIsAnErrorAskingForDeps() throws {
        var files = Self.project
        files["packages.yml"] = """
            packages:
              - package: acme-labs/helpers
                version: 1.0.0
              - package: dbt-labs/dbt_utils
                version: [">=1.0.0", "<2.0.0"]
              - git: "https://github.com/acme/sql-tools.git"
                revision: v1
            """
        let error = #expect(throws: DiagnosticsError.self) { try Self.compile(files) }
        let missing = error?.diagnostics.filter { $0.id == "package.not-installed" } ?? []
        #expect(
            missing.map(\.message) == [
                "package 'dbt_utils' of packages.yml is not installed in dbt_packages/",
                "package 'sql-tools' of packages.yml is not installed in dbt_packages/",
            ])
        #expect(missing.first?.location?.line == 4)
        #expect(missing.first?.hint == "run `sqlt deps` to install the packages")
    }

    @Test func packagesInstallPathIsHonoured() throws {
        var files: [String: String] = [:]
        for (path, text) in Self.project {
            files[path.hasPrefix("dbt_packages/") ? "vendor/" + path.dropFirst("dbt_packages/".count) : path] = text
        }
        files["dbt_project.yml"] = "name: shop\nprofile: shop\npackages-install-path: vendor\n"
        let project = try Self.compile(files)
        #expect(project.manifest.macros["macro.helpers.wrap"]?.originalFilePath == "vendor/helpers/macros/wrap.sql")
        #expect(project.manifest.nodes["model.shop.orders"]?.compiledCode?.contains("(a)_helpers as a") == true)
    }
}

/// A package's models, seeds and property files become nodes of that package, configured by its
/// own project file and then by the root project's.
@Suite struct InstalledPackageNodeTests {
    static let files: [String: String] = [
        "dbt_project.yml": """
        name: shop
        profile: shop
        vars:
          shared: from_root
          helpers:
            greeting: bonjour
        models:
          helpers:
            unused:
              +enabled: false
            staging:
              +tags: [from_root]
        """,
        "models/orders.sql": "select * from {{ ref('helpers', 'calendar') }} join {{ ref('codes') }} using (code)",
        "dbt_packages/helpers/dbt_project.yml": """
        name: helpers
        version: '1.0.0'
        vars:
          greeting: hello
          own: package_default
          shared: package_default
        models:
          helpers:
            +materialized: "{{ 'ephemeral' if target.name == 'trino' else 'table' }}"
        seeds:
          helpers:
            +schema: reference
        """,
        "dbt_packages/helpers/models/staging/calendar.sql":
            "select 1 as code, current_date as day, '{{ var('greeting') }} {{ var('own') }} {{ var('shared') }}' as g",
        "dbt_packages/helpers/models/unused/unused.sql": "select 1",
        "dbt_packages/helpers/models/schema.yml": """
        version: 2
        models:
          - name: calendar
            description: one row per day
            columns:
              - name: code
                data_tests: [not_null]
        """,
        "dbt_packages/helpers/seeds/codes.csv": "code,label\n1,one\n",
    ]

    @Test func packageModelsAndSeedsAreNodesOfThePackage() throws {
        let project = try ProjectLoader.compile(
            fs: InMemoryFileSystem(Self.files),
            options: CompileOptions(target: TargetInfo(schema: "analytics"), checkSQL: false))
        let nodes = project.manifest.nodes
        let calendar = try #require(nodes["model.helpers.calendar"])
        #expect(calendar.packageName == "helpers")
        #expect(calendar.fqn == ["helpers", "staging", "calendar"])
        #expect(calendar.originalFilePath == "dbt_packages/helpers/models/staging/calendar.sql")
        #expect(calendar.path == "staging/calendar.sql")
        #expect(calendar.materialization == .table)  // the package's own project file, rendered
        #expect(calendar.tags == ["from_root"])  // the root project's tree
        #expect(calendar.description == "one row per day")  // the package's property file
        // vars: the root's `helpers:` scope over the root's globals over the package's own.
        #expect(calendar.compiledCode?.contains("'bonjour package_default from_root' as g") == true)
        let seed = try #require(nodes["seed.helpers.codes"])
        #expect(seed.schema == "analytics_reference")
        // Disabled by the root project.
        #expect(nodes["model.helpers.unused"] == nil)
        #expect(project.manifest.disabled["model.helpers.unused"] != nil)
        // ref('helpers', 'calendar') and ref('codes') resolve to the package's relations.
        let orders = try #require(nodes["model.shop.orders"])
        #expect(orders.dependsOn.nodes.sorted() == ["model.helpers.calendar", "seed.helpers.codes"])
        #expect(
            orders.compiledCode?.contains("\"analytics\".\"calendar\" join \"analytics_reference\".\"codes\"") == true)
        // The package's generic test is a node of the package, attached to its model.
        let test = try #require(nodes.values.first { $0.resourceType == .test })
        #expect(test.packageName == "helpers")
        #expect(test.uniqueId.hasPrefix("test.helpers.not_null_calendar_code."))
        #expect(test.attachedNode == "model.helpers.calendar")
    }
}

/// `sqlt deps` links a `local: ../` package, whose folder holds the project itself: discovery
/// lists the install folder without descending into the link, so the loop is never walked.
@Suite struct LinkedPackageTests {
    @Test func localPackageLinkingBackToTheProjectLoads() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sqlt-linked-\(UUID().uuidString.prefix(8))")
        defer { try? FileManager.default.removeItem(at: root) }
        let project = root.appendingPathComponent("integration_tests")
        let files = [
            root.appendingPathComponent("dbt_project.yml"): "name: helpers\n",
            root.appendingPathComponent("macros/m.sql"): "{% macro hello() %}'hello'{% endmacro %}",
            project.appendingPathComponent("dbt_project.yml"): "name: shop\nprofile: shop\n",
            project.appendingPathComponent("models/a.sql"): "select {{ helpers.hello() }} as greeting",
        ]
        for (url, text) in files {
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(
            at: project.appendingPathComponent("dbt_packages"), withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(
            at: project.appendingPathComponent("dbt_packages/helpers"), withDestinationURL: root)
        let compiled = try ProjectLoader.compile(
            fs: DiskFileSystem(root: project), options: CompileOptions(checkSQL: false))
        #expect(compiled.manifest.nodes["model.shop.a"]?.compiledCode == "select 'hello' as greeting")
        #expect(compiled.manifest.macros["macro.helpers.hello"] != nil)
    }
}

/// Test names with nested list arguments follow dbt's (`str()` of each inner list, sanitized), as
/// dbt_expectations' `value_pairs_set` shows.
@Suite struct GenericTestNamingTests {
    @Test func nestedListArgumentsAreNamedAsDbtNamesThem() throws {
        let files = [
            "dbt_project.yml": "name: shop\nprofile: shop\n",
            "macros/pairs.sql":
                "{% test pairs(model, column_name, value_pairs_set) %}select 1 where false{% endtest %}",
            "models/orders.sql": "select 1 as a",
            "models/schema.yml": """
            version: 2
            models:
              - name: orders
                columns:
                  - name: a
                    data_tests:
                      - pairs:
                          value_pairs_set: [[0, 1], [1, 0], [0.5, 0.5]]
            """,
        ]
        let project = try ProjectLoader.compile(fs: InMemoryFileSystem(files), options: CompileOptions())
        let names = project.manifest.nodes.values.filter { $0.resourceType == .test }.map(\.name)
        #expect(names == ["pairs_orders_a___0_1____1_0____0_5_0_5_"])
    }

    @Test func argumentsDifferingOnlyInDroppedCharactersAreTwoTests() throws {
        let files = [
            "dbt_project.yml": "name: shop\nprofile: shop\n",
            "macros/matches.sql": "{% test matches(model, column_name, pattern) %}select 1 where false{% endtest %}",
            "models/orders.sql": "select 'a' as a",
            "models/schema.yml": """
            version: 2
            models:
              - name: orders
                columns:
                  - name: a
                    data_tests:
                      - matches: {pattern: '^a.*'}
                      - matches: {pattern: '^a+'}
            """,
        ]
        let project = try ProjectLoader.compile(fs: InMemoryFileSystem(files), options: CompileOptions())
        let tests = project.manifest.nodes.values.filter { $0.resourceType == .test }
        #expect(tests.count == 2)
        #expect(Set(tests.map(\.name)) == ["matches_orders_a___a_"])
    }
}
