/// Output of analysis for one model.
public struct ModelLineage: Codable, Sendable, Hashable {
    /// One entry per output column, in output order.
    public var columns: [ColumnLineage]
    /// Ambiguous or unresolvable references, never guessed.
    public var issues: [LineageIssue]
    /// Every relation read (tables, views, sources; not CTEs), in order of first appearance, for INDIRECT edges.
    public var datasetInputs: [RelationRef]

    public init(columns: [ColumnLineage] = [], issues: [LineageIssue] = [], datasetInputs: [RelationRef] = []) {
        self.columns = columns
        self.issues = issues
        self.datasetInputs = datasetInputs
    }

    /// The lineage of the output column with this name, if any.
    public func column(_ name: String) -> ColumnLineage? {
        columns.first { $0.name == name }
    }
}

/// The inputs of one output column.
public struct ColumnLineage: Codable, Sendable, Hashable {
    public var name: String
    /// DIRECT inputs first, then INDIRECT ones, each in order of first appearance, without duplicates.
    public var inputs: [ColumnInput]

    public init(name: String, inputs: [ColumnInput]) {
        self.name = name
        self.inputs = inputs
    }
}

/// A reference the analyzer could not resolve with certainty.
public struct LineageIssue: Codable, Sendable, Hashable, CustomStringConvertible {
    /// Lowercase, no final period.
    public var message: String
    /// 0-based UTF-8 byte offset in the analysed SQL (use `SourceLocation.at(utf8Offset:in:file:)`).
    public var utf8Offset: Int?

    public init(message: String, utf8Offset: Int?) {
        self.message = message
        self.utf8Offset = utf8Offset
    }

    public var description: String { message }
}

extension LineageIssue {
    /// A `lineage.unresolved` warning at the issue's line and column in `sql` (the compiled SQL), read from `file`.
    public func diagnostic(in sql: String, file: String) -> Diagnostic {
        .warning(
            "lineage.unresolved", message,
            at: utf8Offset.map { SourceLocation.at(utf8Offset: $0, in: sql, file: file) })
    }
}
