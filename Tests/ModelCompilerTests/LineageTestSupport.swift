import Testing

@testable import ModelCompiler

/// The catalog the lineage tests analyse against.
let lineageCatalog = DictionaryColumnLookup([
    RelationRef(schema: "raw", name: "customers"): ["id", "name", "email", "country"],
    RelationRef(schema: "raw", name: "orders"): ["id", "customer_id", "amount", "status", "ordered_at"],
    RelationRef(name: "payments"): ["id", "order_id", "amount"],
    RelationRef(name: "Weird Table"): ["Weird Name", "id"],
])

func relation(_ written: String) -> RelationRef {
    guard let dot = written.firstIndex(of: ".") else { return RelationRef(name: written) }
    return RelationRef(schema: String(written[..<dot]), name: String(written[written.index(after: dot)...]))
}

/// A DIRECT edge; `masked` lists the masking functions on the way.
func direct(_ table: String, _ column: String, _ subtype: String, masked: [String] = []) -> ColumnInput {
    ColumnInput(
        relation: relation(table), column: column, type: "DIRECT", subtype: subtype, masking: !masked.isEmpty,
        maskedBy: masked)
}

func indirect(_ table: String, _ column: String, _ subtype: String) -> ColumnInput {
    ColumnInput(relation: relation(table), column: column, type: "INDIRECT", subtype: subtype)
}

func column(_ name: String, _ inputs: ColumnInput...) -> ColumnLineage {
    ColumnLineage(name: name, inputs: inputs)
}

/// One row of the lineage table: SQL and its lineage, written out by hand.
struct LineageCase: Sendable, CustomTestStringConvertible {
    var name: String
    var sql: String
    var columns: [ColumnLineage]
    var issues: [LineageIssue] = []
    var datasetInputs: [RelationRef]? = nil
    var testDescription: String { name }
}
