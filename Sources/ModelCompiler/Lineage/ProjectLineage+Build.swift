import Foundation

extension ProjectLineage {
    /// Computes the column lineage and personal-data classes of every model of a compiled project (pure:
    /// reads only seed CSV headers through `fileSystem`, never the database).
    ///
    /// Models are analysed in topological order, one dependency level at a time, in parallel within a
    /// level. Each relation is known from upstream lineage, seed headers, property files, then `database`
    /// (column lists by relation, for after a run). Personal data is propagated with `PrivacyPropagation`
    /// from the `meta.pii` of seed and source columns (and raised by models' own declarations).
    ///
    /// - Parameters:
    ///   - maskingFunctions: function name (lower case) → class of its output; see `MaskingConfiguration`.
    ///   - database: known columns by relation, overriding nothing the project already knows.
    ///   - fileSystem: the project's files, to read seed headers; nil to rely on property files only.
    ///   - models: when given, only these models and the models upstream of them are analysed (a run of
    ///     a few models in a large project needs their lineage, not the whole project's).
    public static func build(
        compiled: CompiledProject, maskingFunctions: [String: PrivacyClass],
        database: [RelationRef: [String]] = [:], fileSystem: (any ProjectFileSystem)? = nil,
        generatedAt: String = ISO8601DateFormatter().string(from: Date()), models: Set<String>? = nil
    ) -> ProjectLineage {
        let manifest = compiled.manifest
        let index = ProjectRelationIndex(manifest: manifest)
        var seedHeaders: [String: [String]] = [:]
        var declaredColumns: [String: [String]] = [:]
        var declaredPII: [String: [String: PrivacyClass]] = [:]
        var nodes: [String: NodeLineage] = [:]
        for node in manifest.nodes.values where [.model, .seed, .snapshot].contains(node.resourceType) {
            declaredColumns[node.uniqueId] = node.orderedColumns.map(\.name)
            // A workbook's header needs a zip reader, which this pure target does not have: an
            // `.xlsx` seed's columns are the ones its property file declares.
            if node.resourceType == .seed, !node.originalFilePath.hasSuffix(".xlsx"), let fileSystem,
                let text = try? fileSystem.read(node.originalFilePath),
                let header = SeedHeader.columns(ofCSV: text)
            {
                seedHeaders[node.uniqueId] = header
            }
        }
        // Seeds (and, until their query is analysed, snapshots) are known from declarations.
        for node in manifest.nodes.values where node.resourceType == .seed || node.resourceType == .snapshot {
            if node.resourceType == .seed { declaredPII[node.uniqueId] = piiClasses(node.columns) }
            let names = seedHeaders[node.uniqueId] ?? declaredColumns[node.uniqueId] ?? []
            nodes[node.uniqueId] = declaredNode(
                node.uniqueId, type: node.resourceType.rawValue, relation: node.relationName, names: names,
                columns: node.columns)
        }
        for source in manifest.sources.values {
            declaredColumns[source.uniqueId] = source.columns.values.sorted {
                ($0.index, $0.name) < ($1.index, $1.name)
            }
            .map(\.name)
            declaredPII[source.uniqueId] = piiClasses(source.columns)
            nodes[source.uniqueId] = declaredNode(
                source.uniqueId, type: "source", relation: source.relationName,
                names: declaredColumns[source.uniqueId] ?? [], columns: source.columns)
        }

        var catalog = ProjectColumnLookup(
            index: index, seedHeaders: seedHeaders, declared: declaredColumns, database: database)
        let masks = Set(maskingFunctions.keys)
        let compiledFolder = "\(compiled.config.targetPath)/compiled/\(compiled.config.name)"
        var analysed: [String: AnalysedModel] = [:]
        var order: [String] = []
        let scope = models.map { compiled.graph.ancestors(of: $0).union($0) }
        for level in modelLevels(compiled, within: scope) {
            let snapshot = catalog
            let results = parallelMap(level) { id in
                analyse(id, compiled: compiled, catalog: snapshot, masks: masks, compiledFolder: compiledFolder)
            }
            for result in results {
                analysed[result.id] = result
                order.append(result.id)
                if let lineage = result.lineage { catalog.computed[result.id] = lineage.columns.map(\.name) }
            }
        }

        let privacyModels = order.compactMap { id -> PrivacyModel? in
            guard let model = analysed[id], let lineage = model.lineage else { return nil }
            return PrivacyModel(key: id, lineage: lineage, relations: model.relations)
        }
        let inherited = PrivacyPropagation.propagate(
            models: privacyModels, declared: declaredPII, maskingClasses: maskingFunctions)
        let ownDeclared = Dictionary(
            uniqueKeysWithValues: order.map { ($0, piiClasses(manifest.nodes[$0]?.columns ?? [:])) })
        let privacy = PrivacyPropagation.propagate(
            models: privacyModels.map { model in
                var copy = model
                copy.declared = ownDeclared[model.key] ?? [:]
                return copy
            }, declared: declaredPII, maskingClasses: maskingFunctions)

        var warnings: [Diagnostic] = []
        var unknownRelations = Set<RelationRef>()
        for id in order {
            guard let model = analysed[id], let node = manifest.nodes[id] else { continue }
            warnings += model.warnings
            for relation in model.lineage?.datasetInputs ?? [] where catalog.columns(of: relation) == nil {
                unknownRelations.insert(relation)
            }
            let columns = (model.lineage?.columns ?? []).map { column in
                let computed = privacy[id]?[column.name] ?? ColumnPrivacy(privacyClass: .none)
                let fromInputs = inherited[id]?[column.name]?.privacyClass ?? PrivacyClass.none
                // Seed and source columns are the origins; a model's own declaration is named only when alone.
                let origins = computed.sources.filter {
                    ![.model, .snapshot].contains(manifest.nodes[$0.node]?.resourceType)
                }
                return ColumnLineageEntry(
                    name: column.name, privacy: computed.privacyClass.rawValue,
                    piiSources: (origins.isEmpty ? computed.sources : origins).map {
                        ColumnReference(node: $0.node, column: $0.column, privacy: $0.privacyClass.rawValue)
                    },
                    inputs: column.inputs.map { input in
                        ColumnInputReference(
                            node: model.relations[input.relation], relation: input.relation.description,
                            column: input.column, type: input.type, subtype: input.subtype, masking: input.masking,
                            maskedBy: input.maskedBy)
                    },
                    inherited: fromInputs.rawValue, declared: node.columns[column.name]?.pii)
            }
            var inputNodes: [String] = []
            for relation in model.lineage?.datasetInputs ?? [] {
                if let upstream = model.relations[relation], !inputNodes.contains(upstream) {
                    inputNodes.append(upstream)
                }
            }
            nodes[id] = NodeLineage(
                uniqueId: id, resourceType: node.resourceType.rawValue, relationName: node.relationName,
                columns: columns,
                issues: model.warnings.map(\.description), inputNodes: inputNodes)
        }
        var result = ProjectLineage(
            generatedAt: generatedAt, nodes: nodes, maskingFunctions: maskingFunctions, warnings: warnings)
        result.unknownRelations = unknownRelations
        return result
    }

    /// One model's analysis.
    struct AnalysedModel: Sendable {
        var id: String
        var lineage: ModelLineage?
        var relations: [RelationRef: String]
        var warnings: [Diagnostic]
    }

    /// Models grouped by dependency level (a model's level is one more than its deepest upstream model's).
    static func modelLevels(_ compiled: CompiledProject, within scope: Set<String>? = nil) -> [[String]] {
        let models = Set(
            compiled.manifest.nodes.compactMap { id, node in
                (node.resourceType == .model || node.resourceType == .snapshot) && scope?.contains(id) != false
                    ? id : nil
            })
        var level: [String: Int] = [:]
        var levels: [[String]] = []
        for id in compiled.graph.topologicalOrder(models) {
            let depth = compiled.graph.parents(of: id).compactMap { level[$0] }.max().map { $0 + 1 } ?? 0
            level[id] = depth
            if depth == levels.count { levels.append([]) }
            levels[depth].append(id)
        }
        return levels
    }

    static func analyse(
        _ id: String, compiled: CompiledProject, catalog: ProjectColumnLookup, masks: Set<String>,
        compiledFolder: String
    ) -> AnalysedModel {
        guard let node = compiled.manifest.nodes[id] else { return AnalysedModel(id: id, relations: [:], warnings: []) }
        let file = "\(compiledFolder)/\(node.originalFilePath)"
        guard let sql = sqlForLineage(node, compiled: compiled),
            !sql.isBlank
        else {
            let warning = Diagnostic.warning(
                "lineage.unresolved", "model \(node.name) has no compiled sql", at: node.declaredAt)
            return AnalysedModel(id: id, relations: [:], warnings: [warning])
        }
        var lineage: ModelLineage
        do {
            lineage = try LineageAnalyzer.analyze(sql, catalog: catalog, maskingFunctions: masks)
            if node.resourceType == .snapshot { lineage.columns += snapshotColumns(node, after: lineage.columns) }
        } catch {
            let warning = Diagnostic.warning(
                "lineage.unresolved", "cannot analyse \(node.name): \(error.message)",
                at: SourceLocation.at(utf8Offset: error.utf8Offset, in: sql, file: file))
            return AnalysedModel(id: id, relations: [:], warnings: [warning])
        }
        var relations: [RelationRef: String] = [:]
        let locate = SQLLocator(node: node, sql: sql, file: file, compiled: compiled)
        var warnings = lineage.issues.map { issue in
            Diagnostic.warning("lineage.unresolved", issue.message, at: issue.utf8Offset.map(locate.location))
        }
        var unresolved = Set<RelationRef>()
        let written = lineage.datasetInputs + lineage.columns.flatMap { $0.inputs.map(\.relation) }
        for relation in written where relations[relation] == nil && !unresolved.contains(relation) {
            if let upstream = catalog.index.resolve(relation) {
                relations[relation] = upstream
            } else {
                unresolved.insert(relation)
            }
        }
        for relation in unresolved.sorted(by: { $0.description < $1.description }) {
            warnings.append(
                .warning(
                    "lineage.unresolved", "relation \(relation) read by \(node.name) is not a node of the project",
                    at: sql.range(of: relation.name).map {
                        locate.location(sql.utf8.distance(from: sql.startIndex, to: $0.lowerBound))
                    }))
        }
        return AnalysedModel(id: id, lineage: lineage, relations: relations, warnings: warnings)
    }

    /// The columns a snapshot adds after its query's (`dbt_scd_id`, ..., as configured): no inputs.
    static func snapshotColumns(_ node: ManifestNode, after query: [ColumnLineage]) -> [ColumnLineage] {
        let location = node.declaredAt ?? SourceLocation(file: node.originalFilePath, line: 1, column: 1)
        guard let settings = try? SnapshotSettings(config: node.config, location: location) else { return [] }
        let names = settings.columns
        let added =
            [names.scdId, names.updatedAt, names.validFrom, names.validTo]
            + (settings.hardDeletes == .newRecord ? [names.isDeleted] : [])
        let present = Set(query.map(\.name))
        return added.filter { !present.contains($0) }.map { ColumnLineage(name: $0, inputs: []) }
    }

    /// The compiled SQL; when it inlines ephemeral models, the SQL rendered without them, so that
    /// `__dbt__cte__x` stays a relation and maps to the ephemeral model.
    static func sqlForLineage(_ node: ManifestNode, compiled: CompiledProject) -> String? {
        guard let sql = node.compiledCode else { return nil }
        guard sql.contains("__dbt__cte__"), let template = compiled.templates[node.uniqueId] else { return sql }
        let context = compiled.context(for: node, options: RenderOptions(), adapter: nil, sink: RenderSink())
        return (try? template.render(context)) ?? sql
    }

    static func piiClasses(_ columns: [String: ColumnInfo]) -> [String: PrivacyClass] {
        var classes: [String: PrivacyClass] = [:]
        for (name, column) in columns {
            if let pii = column.pii, let privacyClass = PrivacyClass(pii: pii) { classes[name] = privacyClass }
        }
        return classes
    }

    static func declaredNode(
        _ id: String, type: String, relation: String?, names: [String], columns: [String: ColumnInfo]
    ) -> NodeLineage {
        var all = names
        for column in columns.values.sorted(by: { ($0.index, $0.name) < ($1.index, $1.name) })
        where !all.contains(column.name) {
            all.append(column.name)
        }
        let entries = all.map { name -> ColumnLineageEntry in
            let pii = columns[name]?.pii.flatMap { PrivacyClass(pii: $0) } ?? PrivacyClass.none
            let sources = pii > .none ? [ColumnReference(node: id, column: name, privacy: pii.rawValue)] : []
            return ColumnLineageEntry(
                name: name, privacy: pii.rawValue, piiSources: sources, inputs: [],
                inherited: PrivacyClass.none.rawValue,
                declared: columns[name]?.pii)
        }
        return NodeLineage(uniqueId: id, resourceType: type, relationName: relation, columns: entries, issues: [])
    }
}

/// Maps an offset in the SQL analysed for lineage to the model's `.sql` file through the template's
/// source map (the SQL is the template's output), else to the compiled file.
struct SQLLocator {
    let node: ManifestNode
    let sql: String
    let file: String
    let compiled: CompiledProject

    func location(_ offset: Int) -> SourceLocation {
        if let template = compiled.templates[node.uniqueId],
            let (output, map) = try? template.renderWithSourceMap(
                compiled.context(for: node, options: RenderOptions(), adapter: nil, sink: RenderSink())),
            output == sql, let mapped = map.location(forOutputOffset: offset)
        {
            return mapped
        }
        return SourceLocation.at(utf8Offset: offset, in: sql, file: file)
    }
}
