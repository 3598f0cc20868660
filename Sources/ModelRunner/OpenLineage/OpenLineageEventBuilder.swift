import Foundation
import ModelCompiler

/// Builds OpenLineage 2-0-2 `RunEvent`s for model runs from the project's column lineage.
public struct OpenLineageEventBuilder: Sendable {
    public static let runEventSchema = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"
    public static let parentFacetSchema =
        "https://openlineage.io/spec/facets/1-0-1/ParentRunFacet.json#/$defs/ParentRunFacet"
    public static let sqlFacetSchema = "https://openlineage.io/spec/facets/1-1-0/SQLJobFacet.json#/$defs/SQLJobFacet"
    public static let jobTypeFacetSchema =
        "https://openlineage.io/spec/facets/2-0-3/JobTypeJobFacet.json#/$defs/JobTypeJobFacet"
    public static let schemaFacetSchema =
        "https://openlineage.io/spec/facets/1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet"
    public static let columnLineageFacetSchema =
        "https://openlineage.io/spec/facets/1-2-0/ColumnLineageDatasetFacet.json#/$defs/ColumnLineageDatasetFacet"
    public static let errorFacetSchema =
        "https://openlineage.io/spec/facets/1-0-1/ErrorMessageRunFacet.json#/$defs/ErrorMessageRunFacet"
    /// The custom `sqlt_pii` dataset facet: each column's computed personal-data class and origins.
    public static let piiFacetSchema =
        "https://sqlt.dev/spec/facets/1-0-0/SqltPIIDatasetFacet.json#/$defs/SqltPIIDatasetFacet"

    /// URI of this producer (sqlt and its version).
    public var producer: String
    /// The job namespace (`OPENLINEAGE_NAMESPACE`, else the project name).
    public var jobNamespace: String
    /// The datasets' namespace, `postgres://host:port`.
    public var datasetNamespace: String
    /// The database name, the first part of dataset names (`db.schema.table`).
    public var database: String
    /// The invocation: the parent run of every model run.
    public var invocationId: String
    public var projectName: String
    public var lineage: ProjectLineage

    public init(
        jobNamespace: String, datasetNamespace: String, database: String, invocationId: String, projectName: String,
        lineage: ProjectLineage, producer: String = "https://github.com/sqlt/sqlt/tree/\(SqltVersion.current)"
    ) {
        self.producer = producer
        self.jobNamespace = jobNamespace
        self.datasetNamespace = datasetNamespace
        self.database = database
        self.invocationId = invocationId
        self.projectName = projectName
        self.lineage = lineage
    }

    /// `START`, `COMPLETE`, `FAIL` or `ABORT`.
    public enum EventType: String, Sendable {
        case start = "START", complete = "COMPLETE", fail = "FAIL", abort = "ABORT"
    }

    /// The job name of a model: `<project>.<model name>`.
    public func jobName(_ node: ManifestNode) -> String { "\(projectName).\(node.name)" }

    /// One RunEvent for a model run; `error` is the failure message of a FAIL event.
    public func event(
        _ type: EventType, node: ManifestNode, runId: String, time: Date, sql: String?, error: String? = nil
    ) -> JSONValue {
        var runFacets: [String: JSONValue] = [
            "parent": facet(
                Self.parentFacetSchema,
                [
                    "run": ["runId": .string(invocationId)],
                    "job": ["namespace": .string(jobNamespace), "name": .string("\(projectName).invocation")],
                ])
        ]
        if let error {
            runFacets["errorMessage"] = facet(
                Self.errorFacetSchema, ["message": .string(error), "programmingLanguage": "SQL"])
        }
        var jobFacets: [String: JSONValue] = [
            "jobType": facet(
                Self.jobTypeFacetSchema,
                ["processingType": "BATCH", "integration": "SQLT", "jobType": "MODEL"])
        ]
        if let sql, !sql.isEmpty {
            jobFacets["sql"] = facet(Self.sqlFacetSchema, ["query": .string(sql), "dialect": "postgres"])
        }
        let modelLineage = lineage.nodes[node.uniqueId]
        let inputIds = modelLineage.map { resolvedInputNodes($0) } ?? []
        let inputs: [JSONValue] = inputIds.compactMap { id in
            guard let upstream = lineage.nodes[id], let name = datasetName(upstream.relationName) else { return nil }
            return dataset(name: name, facets: datasetFacets(upstream, columnLineage: nil))
        }
        var outputs: [JSONValue] = []
        if let modelLineage, let name = datasetName(modelLineage.relationName) {
            outputs.append(
                dataset(name: name, facets: datasetFacets(modelLineage, columnLineage: columnLineage(modelLineage))))
        }
        return .object([
            "eventType": .string(type.rawValue),
            "eventTime": .string(Self.timestamp(time)),
            "run": ["runId": .string(runId), "facets": .object(runFacets)],
            "job": ["namespace": .string(jobNamespace), "name": .string(jobName(node)), "facets": .object(jobFacets)],
            "inputs": .array(inputs),
            "outputs": .array(outputs),
            "producer": .string(producer),
            "schemaURL": .string(Self.runEventSchema),
        ])
    }

    /// ISO 8601 with milliseconds, UTC.
    public static func timestamp(_ date: Date) -> String {
        UTCTimestamp.string(date, fractionDigits: 3)
    }

    func facet(_ schema: String, _ fields: [String: JSONValue]) -> JSONValue {
        var object = fields
        object["_producer"] = .string(producer)
        object["_schemaURL"] = .string(schema)
        return .object(object)
    }

    func dataset(name: String, facets: [String: JSONValue]) -> JSONValue {
        ["namespace": .string(datasetNamespace), "name": .string(name), "facets": .object(facets)]
    }

    /// `db.schema.table` from `"schema"."table"`; nil for relations that are not in the database (ephemeral).
    func datasetName(_ relationName: String?) -> String? {
        guard let relationName else { return nil }
        return ([database] + Self.unquotedParts(relationName)).joined(separator: ".")
    }

    /// The parts of a (possibly quoted) dotted relation name, unquoted.
    static func unquotedParts(_ written: String) -> [String] {
        var parts: [String] = []
        var current = ""
        var quoted = false
        var characters = Array(written)[...]
        while let character = characters.popFirst() {
            if character == "\"" {
                if quoted, characters.first == "\"" {
                    current.append("\"")
                    characters = characters.dropFirst()
                } else {
                    quoted.toggle()
                }
            } else if character == ".", !quoted {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        return parts
    }

    func datasetFacets(_ node: NodeLineage, columnLineage: JSONValue?) -> [String: JSONValue] {
        var facets: [String: JSONValue] = [
            "schema": facet(
                Self.schemaFacetSchema, ["fields": .array(node.columns.map { ["name": .string($0.name)] })]),
            "sqlt_pii": facet(
                Self.piiFacetSchema,
                [
                    "fields": .object(
                        Dictionary(
                            uniqueKeysWithValues: node.columns.map { column in
                                (
                                    column.name,
                                    JSONValue.object([
                                        "class": .string(column.privacy),
                                        "sources": .array(column.piiSources.map { .string($0.description) }),
                                    ])
                                )
                            }))
                ]),
        ]
        if let columnLineage { facets["columnLineage"] = columnLineage }
        return facets
    }

    /// The column-lineage facet, with edges through ephemeral models followed to real datasets.
    func columnLineage(_ node: NodeLineage) -> JSONValue {
        var fields: [String: JSONValue] = [:]
        for column in node.columns {
            let inputs = resolvedInputs(column.inputs, depth: 0)
            guard !inputs.isEmpty else { continue }
            // One input field per (dataset, column), with every way it reaches the output.
            var order: [String] = []
            var grouped: [String: (name: String, field: String, transformations: [JSONValue])] = [:]
            for input in inputs {
                let name = inputDatasetName(input)
                let key = name + "\u{0}" + input.column
                let transformation: JSONValue = [
                    "type": .string(input.type), "subtype": .string(input.subtype),
                    "description": .string(Self.describe(input)), "masking": .bool(input.masking),
                ]
                if grouped[key] == nil {
                    order.append(key)
                    grouped[key] = (name, input.column, [])
                }
                if grouped[key]?.transformations.contains(transformation) == false {
                    grouped[key]?.transformations.append(transformation)
                }
            }
            fields[column.name] = [
                "inputFields": .array(
                    order.compactMap { grouped[$0] }.map { entry in
                        [
                            "namespace": .string(datasetNamespace), "name": .string(entry.name),
                            "field": .string(entry.field), "transformations": .array(entry.transformations),
                        ]
                    })
            ]
        }
        return facet(Self.columnLineageFacetSchema, ["fields": .object(fields)])
    }

    static func describe(_ input: ColumnInputReference) -> String {
        let kind = input.subtype.lowercased().replacingOccurrences(of: "_", with: " ")
        return input.maskedBy.isEmpty ? kind : "\(kind), masked by \(input.maskedBy.joined(separator: ", "))"
    }

    func inputDatasetName(_ input: ColumnInputReference) -> String {
        if let id = input.node, let name = datasetName(lineage.nodes[id]?.relationName) { return name }
        return ([database] + Self.unquotedParts(input.relation)).joined(separator: ".")
    }

    /// Inputs with those reading an ephemeral model replaced by that model's own inputs for the column.
    func resolvedInputs(_ inputs: [ColumnInputReference], depth: Int) -> [ColumnInputReference] {
        var result: [ColumnInputReference] = []
        for input in inputs {
            guard depth < 32, let id = input.node, let upstream = lineage.nodes[id], upstream.relationName == nil,
                upstream.resourceType == "model", let column = upstream.column(input.column)
            else {
                if !result.contains(input) { result.append(input) }
                continue
            }
            for inner in resolvedInputs(column.inputs, depth: depth + 1) {
                var combined = inner
                if input.type == "INDIRECT" {
                    combined.type = "INDIRECT"
                    combined.subtype = input.subtype
                } else if inner.type == "DIRECT", input.subtype != "IDENTITY" {
                    combined.subtype =
                        inner.subtype == "IDENTITY"
                        ? input.subtype
                        : (inner.subtype == "AGGREGATION" || input.subtype == "AGGREGATION"
                            ? "AGGREGATION" : "TRANSFORMATION")
                }
                combined.maskedBy = Array(Set(inner.maskedBy).union(input.maskedBy)).sorted()
                combined.masking = inner.masking || input.masking
                if !result.contains(combined) { result.append(combined) }
            }
        }
        return result
    }

    /// Input nodes, with ephemeral models replaced by their inputs.
    func resolvedInputNodes(_ node: NodeLineage) -> [String] {
        var result: [String] = []
        var pending = node.inputNodes
        var seen = Set<String>()
        while !pending.isEmpty {
            let id = pending.removeFirst()
            guard seen.insert(id).inserted else { continue }
            if let upstream = lineage.nodes[id], upstream.relationName == nil, upstream.resourceType == "model" {
                pending.append(contentsOf: upstream.inputNodes)
            } else {
                result.append(id)
            }
        }
        return result
    }
}
