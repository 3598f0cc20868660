@testable import ModelCompiler

/// A small project over three layers, shared by the graph, selector and scheduler tests.
///
/// ```
/// source raw.orders ──> stg_orders ──┐
/// source stripe.payments ─> stg_payments ─┴─> int_orders_payments (ephemeral) ─> fct_orders ──┐
/// utils.util_calendar ─────────────────────────────────────────────────────────────┘           ├─> customer_ltv
/// source raw.customers ─> stg_customers ─┬─> int_customer_geo ─> dim_customers ───────────────┘
/// seed country_codes ────────────────────┘ └──────────────────────┘
/// source raw.orders ─> orders_snapshot
/// ```
enum GraphFixture {
    static let project = "shop"

    static func source(_ sourceName: String, _ table: String, tags: [String] = []) -> SourceDefinition {
        SourceDefinition(
            uniqueId: "source.shop.\(sourceName).\(table)", packageName: project, sourceName: sourceName, name: table,
            identifier: table, schema: sourceName, relationName: "\"\(sourceName)\".\"\(table)\"",
            originalFilePath: "models/staging/sources.yml", fqn: [project, "staging", sourceName, table], tags: tags
        )
    }

    static func node(
        _ type: ResourceType, _ name: String, package: String = project, file: String, fqn: [String],
        dependsOn: [String] = [], tags: [String] = [], config: NodeConfig = [:], rawCode: String? = nil,
        testMetadata: TestMetadata? = nil, attachedNode: String? = nil, patchPath: String? = nil
    ) -> ManifestNode {
        let prefix = type == .unitTest ? "unit_test" : type.rawValue
        let uniqueID =
            type == .unitTest ? "unit_test.\(package).\(fqn[fqn.count - 2]).\(name)" : "\(prefix).\(package).\(name)"
        let folder =
            ["model": "models/", "seed": "seeds/", "snapshot": "snapshots/", "test": "tests/"][type.rawValue]
            ?? "models/"
        let code = rawCode ?? "select 1 as \(name)"
        var config = config
        config["tags"] = .array(tags.map { .string($0) })
        return ManifestNode(
            uniqueId: uniqueID, resourceType: type, name: name, packageName: package,
            path: file.hasPrefix(folder) ? String(file.dropFirst(folder.count)) : file, originalFilePath: file,
            fqn: fqn, schema: "analytics", alias: name, rawCode: code, config: config, tags: tags,
            dependsOn: DependsOn(nodes: dependsOn), checksum: FileChecksum(checksum: "sha-\(code.count)-\(name)"),
            patchPath: patchPath, testMetadata: testMetadata, attachedNode: attachedNode
        )
    }

    static func model(
        _ name: String, folder: String, dependsOn: [String], tags: [String] = [], materialized: String = "view",
        package: String = project
    ) -> ManifestNode {
        let file = package == project ? "models/\(folder)/\(name).sql" : "dbt_packages/\(package)/models/\(name).sql"
        let fqn = package == project ? [package, folder, name] : [package, name]
        return node(
            .model, name, package: package, file: file, fqn: fqn, dependsOn: dependsOn, tags: tags,
            config: ["materialized": .string(materialized)]
        )
    }

    static var manifest: Manifest {
        let sources = [
            source("raw", "orders"), source("raw", "customers", tags: ["pii"]), source("stripe", "payments"),
        ]
        let nodes: [ManifestNode] = [
            node(
                .seed, "country_codes", file: "seeds/country_codes.csv", fqn: [project, "country_codes"],
                config: ["materialized": "seed"]),
            model("stg_orders", folder: "staging", dependsOn: ["source.shop.raw.orders"], tags: ["staging"]),
            model(
                "stg_customers", folder: "staging", dependsOn: ["source.shop.raw.customers"], tags: ["staging", "pii"]),
            model("stg_payments", folder: "staging", dependsOn: ["source.shop.stripe.payments"], tags: ["staging"]),
            model(
                "int_orders_payments", folder: "intermediate",
                dependsOn: ["model.shop.stg_orders", "model.shop.stg_payments"],
                materialized: "ephemeral"
            ),
            model(
                "int_customer_geo", folder: "intermediate",
                dependsOn: ["model.shop.stg_customers", "seed.shop.country_codes"],
                tags: ["nightly"], materialized: "table"
            ),
            model("util_calendar", folder: "", dependsOn: [], package: "utils"),
            model(
                "fct_orders", folder: "marts",
                dependsOn: ["model.shop.int_orders_payments", "model.utils.util_calendar"],
                tags: ["nightly", "finance"], materialized: "incremental"
            ),
            model(
                "dim_customers", folder: "marts",
                dependsOn: ["model.shop.int_customer_geo", "model.shop.stg_customers"],
                tags: ["nightly"], materialized: "table"
            ),
            model(
                "customer_ltv", folder: "marts", dependsOn: ["model.shop.fct_orders", "model.shop.dim_customers"],
                tags: ["finance"], materialized: "table"
            ),
            node(
                .snapshot, "orders_snapshot", file: "snapshots/orders_snapshot.sql",
                fqn: [project, "orders_snapshot", "orders_snapshot"],
                dependsOn: ["source.shop.raw.orders"], config: ["materialized": "snapshot"]
            ),
            node(
                .test, "not_null_stg_orders_order_id", file: "models/staging/schema.yml",
                fqn: [project, "staging", "not_null_stg_orders_order_id"], dependsOn: ["model.shop.stg_orders"],
                config: ["severity": "ERROR"],
                testMetadata: TestMetadata(name: "not_null", kwargs: ["column_name": "order_id"]),
                attachedNode: "model.shop.stg_orders"
            ),
            node(
                .test, "unique_dim_customers_customer_id", file: "models/marts/schema.yml",
                fqn: [project, "marts", "unique_dim_customers_customer_id"], dependsOn: ["model.shop.dim_customers"],
                testMetadata: TestMetadata(name: "unique", kwargs: ["column_name": "customer_id"]),
                attachedNode: "model.shop.dim_customers"
            ),
            node(
                .test, "relationships_fct_orders_customer_id", file: "models/marts/schema.yml",
                fqn: [project, "marts", "relationships_fct_orders_customer_id"],
                dependsOn: ["model.shop.dim_customers", "model.shop.fct_orders"], config: ["severity": "warn"],
                testMetadata: TestMetadata(name: "relationships", kwargs: ["to": "ref('dim_customers')"]),
                attachedNode: "model.shop.fct_orders"
            ),
            node(
                .test, "assert_positive_ltv", file: "tests/assert_positive_ltv.sql",
                fqn: [project, "assert_positive_ltv"],
                dependsOn: ["model.shop.customer_ltv"]
            ),
            node(
                .unitTest, "test_fct_orders_math", file: "models/marts/unit_tests.yml",
                fqn: [project, "marts", "fct_orders", "test_fct_orders_math"], dependsOn: ["model.shop.fct_orders"]
            ),
        ]
        var manifest = Manifest(
            metadata: ManifestMetadata(
                sqltVersion: "0.1.0", generatedAt: "2026-11-24T00:00:00Z", invocationId: "fixture", projectName: project
            ),
            nodes: Dictionary(uniqueKeysWithValues: nodes.map { ($0.uniqueId, $0) }),
            sources: Dictionary(uniqueKeysWithValues: sources.map { ($0.uniqueId, $0) })
        )
        manifest.disabled["model.shop.legacy_orders"] = [
            model("legacy_orders", folder: "staging", dependsOn: ["source.shop.raw.orders"], tags: ["staging"])
        ]
        return manifest
    }

    // swift-format-ignore: NeverUseForceTry
    // (a fixed fixture: it cannot fail)
    static var graph: DependencyGraph { try! DependencyGraph(manifest: manifest) }

    /// A manifest of plain models from `name: [parents]`, for graph-shape tests.
    static func models(_ edges: KeyValuePairs<String, [String]>) -> Manifest {
        var nodes: [String: ManifestNode] = [:]
        for (name, parents) in edges {
            let node = model(name, folder: "m", dependsOn: parents.map { "model.shop.\($0)" })
            nodes[node.uniqueId] = node
        }
        return Manifest(
            metadata: ManifestMetadata(sqltVersion: "0.1.0", generatedAt: "", invocationId: "", projectName: project),
            nodes: nodes
        )
    }

    /// `model.shop.<name>` for each name.
    static func ids(_ names: String...) -> Set<String> { Set(names.map { "model.shop.\($0)" }) }
}
