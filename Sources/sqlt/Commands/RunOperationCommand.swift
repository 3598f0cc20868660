import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// `sqlt run-operation MACRO --args '{...}'` or `sqlt run-operation --sql '...'` (dbt 1.12).
struct RunOperationCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run-operation",
        abstract: "Call a macro with --args, or run a SQL or Jinja text with --sql, against the database.")

    @OptionGroup var global: GlobalOptions
    @Argument(help: "The macro to call.") var macro: String?
    @Option(
        name: .customLong("args"), help: "The macro's keyword arguments as YAML or JSON, such as '{role: reporter}'.")
    var args: String?
    @Option(name: .customLong("sql"), help: "A SQL or Jinja text to render and run instead of a macro.") var sql:
        String?

    func validate() throws {
        if (macro == nil) == (sql == nil) { throw ValidationError("pass a macro name or --sql, not both") }
        if sql != nil, args != nil { throw ValidationError("--args goes with a macro, not with --sql") }
    }

    func run() throws {
        let session = try ProjectSession.open(global)
        let resolved = try session.resolveConnection()
        let compiled = try session.compile(target: session.targetInfo(resolved), warnError: false)
        var arguments: [String: JSONValue] = [:]
        if let args, !args.trimmingCharacters(in: .whitespaces).isEmpty {
            guard let object = try YAMLNode.parse(args, file: "--args").json.objectValue else {
                throw Diagnostic.error(
                    "run-operation.args", "--args must be a YAML or JSON mapping, such as '{role: reporter}'")
            }
            arguments = object
        }
        if let macro, !compiled.manifest.macros.values.contains(where: { $0.name == macro }) {
            let names = compiled.manifest.macros.values.map(\.name)
            throw Diagnostic.error(
                "run-operation.unknown", "no macro named '\(macro)' in the project",
                hint: closestMatch(to: macro, in: names).map { "did you mean '\($0)'?" })
        }
        let connection = try PostgresConnection(settings: try session.connect(resolved))
        defer { connection.close() }
        if let sql {
            let result = try RunOperation.runSQL(sql, compiled: compiled, session: connection)
            Console.print("Ran --sql: \(result.commandTag.isEmpty ? "nothing to run" : result.commandTag)")
        } else if let macro {
            _ = try RunOperation.render(
                RunOperation.callText(macro: macro, args: arguments), file: "run-operation \(macro)",
                compiled: compiled, session: connection)
            Console.print("Ran macro \(macro)")
        }
    }
}
