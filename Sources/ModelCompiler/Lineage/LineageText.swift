/// The text form of column lineage.
public struct LineageText: Sendable {
    /// Which edges `render` shows.
    public enum Direction: Sendable { case direct, upstream, downstream }

    public let lineage: ProjectLineage

    /// The text form of `lineage`.
    public init(lineage: ProjectLineage) { self.lineage = lineage }

    /// The lines of node `id` (one column or all), in `direction`.
    public func render(_ id: String, column: String?, direction: Direction) throws -> String {
        guard let node = lineage.nodes[id] else { throw Diagnostic.error("lineage.node", "unknown node '\(id)'") }
        var columns = node.columns
        if let column {
            columns = columns.filter { $0.name == column }
            if columns.isEmpty {
                throw Diagnostic.error(
                    "lineage.column", "\(id) has no column '\(column)'",
                    hint: closestMatch(to: column, in: node.columns.map(\.name)).map { "did you mean '\($0)'?" }
                        ?? "columns: \(node.columns.map(\.name).joined(separator: ", "))")
            }
        }
        var lines = ["\(id)" + (node.relationName.map { " (\($0))" } ?? " (ephemeral)")]
        let consumers = direction == .downstream ? consumerIndex() : [:]
        for entry in columns {
            lines.append("  \(entry.name)  [\(entry.privacy)]" + origins(entry))
            switch direction {
            case .direct:
                for input in entry.inputs { lines.append("    <- " + describe(input)) }
            case .upstream:
                var seen = Set<String>()
                upstreamLines(entry.inputs, depth: 2, seen: &seen, into: &lines)
            case .downstream:
                var seen = Set<ColumnReference>()
                downstreamLines(
                    ColumnReference(node: id, column: entry.name), consumers, depth: 2, seen: &seen, into: &lines)
            }
        }
        if !node.issues.isEmpty {
            lines.append("  issues:")
            lines += node.issues.map { "    \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    func origins(_ entry: ColumnLineageEntry) -> String {
        guard entry.privacyClass > .none, !entry.piiSources.isEmpty else { return "" }
        return " from " + entry.piiSources.map(\.description).joined(separator: ", ")
    }

    func describe(_ input: ColumnInputReference) -> String {
        let name = input.node ?? input.relation
        var text = "\(name).\(input.column)  \(input.type)/\(input.subtype)"
        if input.masking {
            text += " masked" + (input.maskedBy.isEmpty ? "" : " by \(input.maskedBy.joined(separator: ", "))")
        }
        if input.node == nil { text += "  (not in the project)" }
        if let node = input.node, let upstream = lineage.nodes[node]?.column(input.column),
            upstream.privacyClass > .none
        {
            text += "  [\(upstream.privacy)]"
        }
        return text
    }

    func upstreamLines(
        _ inputs: [ColumnInputReference], depth: Int, seen: inout Set<String>, into lines: inout [String]
    ) {
        let indent = String(repeating: "  ", count: depth)
        for input in inputs {
            let key = "\(input.node ?? input.relation).\(input.column)"
            let expandable =
                input.type == "DIRECT" && input.node.flatMap { lineage.nodes[$0]?.column(input.column) } != nil
            let repeated = expandable && seen.contains(key)
            lines.append(indent + "<- " + describe(input) + (repeated ? "  (see above)" : ""))
            guard expandable, !repeated, let node = input.node, let upstream = lineage.nodes[node]?.column(input.column)
            else { continue }
            seen.insert(key)
            upstreamLines(upstream.inputs, depth: depth + 1, seen: &seen, into: &lines)
        }
    }

    /// Input column → the model columns reading it, with the edge.
    func consumerIndex() -> [ColumnReference: [(ColumnReference, ColumnInputReference)]] {
        var index: [ColumnReference: [(ColumnReference, ColumnInputReference)]] = [:]
        for (id, node) in lineage.nodes.sorted(by: { $0.key < $1.key }) {
            for column in node.columns {
                for input in column.inputs {
                    guard let upstream = input.node else { continue }
                    index[ColumnReference(node: upstream, column: input.column), default: []]
                        .append((ColumnReference(node: id, column: column.name), input))
                }
            }
        }
        return index
    }

    func downstreamLines(
        _ origin: ColumnReference, _ consumers: [ColumnReference: [(ColumnReference, ColumnInputReference)]],
        depth: Int,
        seen: inout Set<ColumnReference>, into lines: inout [String]
    ) {
        let indent = String(repeating: "  ", count: depth)
        for (reader, edge) in consumers[origin] ?? [] {
            let privacy = lineage.nodes[reader.node]?.column(reader.column)?.privacy ?? "none"
            let repeated = seen.contains(reader)
            var text = "\(indent)-> \(reader.node).\(reader.column)  \(edge.type)/\(edge.subtype)"
            if edge.masking { text += " masked" }
            text += "  [\(privacy)]" + (repeated ? "  (see above)" : "")
            lines.append(text)
            guard !repeated, edge.type == "DIRECT" else { continue }
            seen.insert(reader)
            downstreamLines(reader, consumers, depth: depth + 1, seen: &seen, into: &lines)
        }
    }
}

extension ProjectLineage {
    /// The unique id of a node named on the command line (`silver_rh_info`,
    /// `model.p.silver_rh_info`, `source_name.table`): a model wins over a seed or source of the
    /// same name; an unknown or ambiguous name is an error.
    public func uniqueId(named name: String) throws(Diagnostic) -> String {
        if nodes[name] != nil { return name }
        let matches = nodes.keys.filter { $0.hasSuffix(".\(name)") }.sorted()
        let models = matches.filter { $0.hasPrefix("model.") }
        if models.count == 1 { return models[0] }
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty {
            let names = nodes.keys.compactMap { $0.split(separator: ".").last.map(String.init) }
            throw Diagnostic.error(
                "lineage.node", "no model, seed or source named '\(name)'",
                hint: closestMatch(to: name, in: names).map { "did you mean '\($0)'?" })
        }
        throw Diagnostic.error("lineage.node", "'\(name)' is ambiguous: \(matches.joined(separator: ", "))")
    }
}

extension CompiledProject {
    /// The models (and snapshots) a run's lineage needs: nil (the whole project) when it runs every
    /// one, else the ones it runs (their upstream models are added when the lineage is built).
    public func lineageScope(running selected: Set<String>) -> Set<String>? {
        var all = 0
        var running = Set<String>()
        for (id, node) in manifest.nodes where node.resourceType == .model || node.resourceType == .snapshot {
            all += 1
            if selected.contains(id) { running.insert(id) }
        }
        return running.count == all ? nil : running
    }
}
