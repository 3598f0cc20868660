/// The project's masking functions, from `vars: {sqlt_masking_functions: [...]}` in the project file.
///
/// Each entry is a function name (its output carries no personal data) or `{name: f, outputs: indirect}`
/// for a pseudonymisation whose output is still personal data of a lower class. Hashes and `count`
/// (`LineageAnalyzer.defaultMaskingFunctions`) always mask to `none`.
public enum MaskingConfiguration {
    /// The project variable that lists masking functions.
    public static let variable = "sqlt_masking_functions"

    /// Function name (lower case) → class of its output, with the default hashes; problems as warnings.
    public static func functions(
        from value: JSONValue?, file: String
    ) -> (functions: [String: PrivacyClass], warnings: [Diagnostic]) {
        var functions: [String: PrivacyClass] = [:]
        for name in LineageAnalyzer.defaultMaskingFunctions { functions[name] = PrivacyClass.none }
        var warnings: [Diagnostic] = []
        guard let value, !value.isNull else { return (functions, warnings) }
        guard let entries = value.arrayValue else {
            return (
                functions,
                [
                    .warning(
                        "lineage.masking", "var \(variable) must be a list of function names",
                        at: SourceLocation(file: file, line: 1, column: 1))
                ]
            )
        }
        for entry in entries {
            if let name = entry.stringValue {
                functions[name.lowercased()] = PrivacyClass.none
            } else if let name = entry["name"]?.stringValue {
                let outputs = entry["outputs"]?.stringValue ?? "none"
                guard let privacyClass = PrivacyClass(pii: outputs) else {
                    warnings.append(
                        .warning(
                            "lineage.masking", "unknown privacy class '\(outputs)' for masking function \(name)",
                            at: SourceLocation(file: file, line: 1, column: 1)))
                    continue
                }
                functions[name.lowercased()] = privacyClass
            } else {
                warnings.append(
                    .warning(
                        "lineage.masking", "an entry of \(variable) is neither a name nor {name, outputs}",
                        at: SourceLocation(file: file, line: 1, column: 1)))
            }
        }
        return (functions, warnings)
    }

    /// The masking functions configured for a compiled project (project vars, overridden by `--vars`).
    public static func functions(
        for compiled: CompiledProject
    ) -> (functions: [String: PrivacyClass], warnings: [Diagnostic]) {
        functions(from: compiled.vars[variable], file: compiled.config.file)
    }
}
