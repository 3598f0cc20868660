/// Column-level lineage of a model's SQL, following OpenLineage's column-lineage facet.
public enum LineageAnalyzer {
    /// Functions whose output does not reveal their input: hashes and `count`, always masking.
    public static let defaultMaskingFunctions: Set<String> = [
        "md5", "sha224", "sha256", "sha384", "sha512", "digest", "hmac", "crypt", "hashtext", "hashtextextended",
        "count",
    ]

    /// Aggregate functions (standard and common PostgreSQL ones); calls with `DISTINCT`, `FILTER`,
    /// `ORDER BY` inside or `*` are aggregates whatever their name.
    public static let aggregateFunctions: Set<String> = [
        "count", "sum", "avg", "min", "max", "string_agg", "array_agg", "json_agg", "jsonb_agg", "json_object_agg",
        "jsonb_object_agg", "bool_and", "bool_or", "every", "bit_and", "bit_or", "bit_xor", "stddev", "stddev_pop",
        "stddev_samp", "variance", "var_pop", "var_samp", "corr", "covar_pop", "covar_samp", "regr_avgx", "regr_avgy",
        "regr_count", "regr_intercept", "regr_r2", "regr_slope", "regr_sxx", "regr_sxy", "regr_syy", "mode",
        "percentile_cont", "percentile_disc", "xmlagg", "range_agg", "range_intersect_agg", "any_value",
    ]

    /// Analyses one `SELECT` (possibly `WITH ... SELECT`, `VALUES` or a set operation).
    ///
    /// `maskingFunctions` (lower case, plain or schema-qualified names such as a project's pseudonymisation
    /// function) are added to `defaultMaskingFunctions`. A syntax error throws; anything that cannot be
    /// resolved with certainty becomes an issue in the result instead of a guessed edge.
    public static func analyze(
        _ sql: String, catalog: some ColumnLookup, maskingFunctions: Set<String>
    ) throws(SQLSyntaxError) -> ModelLineage {
        let parsed = try SQLParser.parse(sql)
        return analyze(parsed, catalog: catalog, maskingFunctions: maskingFunctions)
    }

    /// Analyses already parsed SQL.
    public static func analyze(
        _ parsed: ParsedSQL, catalog: some ColumnLookup, maskingFunctions: Set<String>
    ) -> ModelLineage {
        guard let query = parsed.query else {
            let message =
                parsed.statements.count == 1
                ? "lineage needs a select statement"
                : "lineage needs exactly one statement, found \(parsed.statements.count)"
            return ModelLineage(
                columns: [], issues: [LineageIssue(message: message, utf8Offset: nil)], datasetInputs: [])
        }
        let masks = Set(maskingFunctions.map { $0.lowercased() }).union(defaultMaskingFunctions)
        let builder = QueryLineageBuilder(catalog: catalog, maskingFunctions: masks)
        let result = builder.query(query, parent: nil, isOutput: true)
        let columns = result.columns.map { column in
            ColumnLineage(
                name: column.name,
                inputs: LineageEdge.unique(column.direct).map(\.columnInput)
                    + LineageEdge.unique(column.indirect).map(\.columnInput))
        }
        return ModelLineage(columns: columns, issues: builder.issues, datasetInputs: builder.datasetInputs)
    }
}
