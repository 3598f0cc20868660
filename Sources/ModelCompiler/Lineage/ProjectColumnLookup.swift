import Foundation

/// The columns of the project's relations, for the lineage analyzer. In order of preference: lineage
/// already computed for upstream models, seed CSV headers (the exact columns a seed loads), property-file
/// columns, then an optional database catalog.
public struct ProjectColumnLookup: ColumnLookup {
    public let index: ProjectRelationIndex
    /// Output columns of models already analysed, by unique id.
    public var computed: [String: [String]]
    /// Seed CSV headers, by unique id.
    public let seedHeaders: [String: [String]]
    /// Columns declared in property files (`node.columns`, `source.columns`), by unique id.
    public let declared: [String: [String]]
    /// Columns read from the database after a run, by relation.
    public let database: [RelationRef: [String]]

    public init(
        index: ProjectRelationIndex, computed: [String: [String]] = [:], seedHeaders: [String: [String]] = [:],
        declared: [String: [String]] = [:], database: [RelationRef: [String]] = [:]
    ) {
        self.index = index
        self.computed = computed
        self.seedHeaders = seedHeaders
        self.declared = declared
        self.database = database
    }

    public func columns(of relation: RelationRef) -> [String]? {
        guard let id = index.resolve(relation) else { return databaseColumns(relation) }
        if let columns = computed[id] { return columns }
        if let columns = seedHeaders[id] { return columns }
        if let columns = declared[id], !columns.isEmpty { return columns }
        if let own = index.relations[id], let columns = databaseColumns(own) { return columns }
        return databaseColumns(relation)
    }

    private func databaseColumns(_ relation: RelationRef) -> [String]? {
        if let columns = database[relation] { return columns }
        let folded = RelationRef(schema: relation.schema?.lowercased(), name: relation.name.lowercased())
        return database[folded]
    }
}

/// Reading the header line of a seed file.
public enum SeedHeader {
    /// The column names of a CSV file's first line (quoted fields and a UTF-8 byte order mark handled); nil when empty.
    public static func columns(ofCSV text: String) -> [String]? {
        var line = Substring(text.prefix { $0 != "\n" && $0 != "\r\n" })
        if line.hasSuffix("\r") { line = line.dropLast() }
        if line.hasPrefix("\u{FEFF}") { line = line.dropFirst() }
        guard !line.trimmingCharacters(in: .whitespaces).isEmpty else { return nil }
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = Array(line)
        iterator.append(",")
        var index = 0
        while index < iterator.count {
            let char = iterator[index]
            if quoted {
                if char == "\"" {
                    if index + 1 < iterator.count - 1, iterator[index + 1] == "\"" {
                        current.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    current.append(char)
                }
            } else if char == "\"" {
                quoted = true
            } else if char == "," {
                fields.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(char)
            }
            index += 1
        }
        return fields
    }
}
