import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// The one place that turns any error into a message on stderr and an exit code:
/// 2 for configuration and compile errors, 1 for a failed node or a database error.
enum ErrorReporting {
    static func exitCode(for error: Error, projectRoot: URL?) -> ExitCode {
        switch error {
        case let exit as ExitCode:
            return exit
        case let diagnostics as DiagnosticsError:
            printDiagnostics(diagnostics.diagnostics, projectRoot: projectRoot)
            return ExitCode(2)
        case let diagnostic as Diagnostic:
            printDiagnostics([diagnostic], projectRoot: projectRoot)
            return ExitCode(2)
        case let lock as RunLockError:
            Console.error("error: \(lock.description)")
            return ExitCode(RunLockError.exitCode)
        case let database as DatabaseError:
            Console.error("error: \(database.description)")
            return ExitCode(1)
        default:
            Console.error("error: \(error)")
            return ExitCode(1)
        }
    }

    static func printDiagnostics(_ diagnostics: [Diagnostic], projectRoot: URL?) {
        let renderer = renderer(projectRoot: projectRoot)
        for diagnostic in diagnostics {
            Console.error(
                Console.colorize(
                    renderer.render(diagnostic), diagnostic.severity == .error ? .red : .yellow, stderr: true))
        }
        let errors = diagnostics.filter { $0.severity == .error }.count
        if errors > 1 { Console.error("\(errors) errors") }
    }

    static func renderer(projectRoot: URL?) -> DiagnosticRenderer {
        DiagnosticRenderer { path in
            let url = path.hasPrefix("/") ? URL(fileURLWithPath: path) : projectRoot?.appendingPathComponent(path)
            guard let url, let data = FileManager.default.contents(atPath: url.path) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
    }
}
