import ArgumentParser
import Foundation
import ModelCompiler
import ModelRunner

/// The one place that turns any error into a message on stderr and an exit code, as
/// swift-argument-parser's own `exit(withError:)` does: commands throw, `SqltMain` reports.
/// 2 for configuration and compile errors, 1 for a failed node or a database error, the code a
/// `CommandFailure` or `ExitingWith` carries, `RunLockError.exitCode` for a held run lock.
enum ErrorReporting {
    /// Prints `error` on standard error as its kind says and returns its exit code. `ExitCode`
    /// prints nothing: what it ends was already said.
    static func report(_ error: any Error, projectRoot: URL?) -> ExitCode {
        printMessage(for: error, projectRoot: projectRoot)
        return exitCode(for: error)
    }

    /// The exit code `error` ends a command with, printing nothing.
    static func exitCode(for error: any Error) -> ExitCode {
        switch error {
        case let exit as ExitCode: return exit
        case let failure as CommandFailure: return ExitCode(failure.exitCode)
        case let exiting as ExitingWith: return ExitCode(exiting.exitCode)
        case is DiagnosticsError, is Diagnostic: return ExitCode(2)
        case is RunLockError: return ExitCode(RunLockError.exitCode)
        default: return ExitCode(1)
        }
    }

    private static func printMessage(for error: any Error, projectRoot: URL?) {
        switch error {
        case is ExitCode:
            return
        case let failure as CommandFailure:
            Console.error(failure.line)
        case let exiting as ExitingWith:
            printMessage(for: exiting.error, projectRoot: projectRoot)
        case let diagnostics as DiagnosticsError:
            printDiagnostics(diagnostics.diagnostics, projectRoot: projectRoot)
        case let diagnostic as Diagnostic:
            printDiagnostics([diagnostic], projectRoot: projectRoot)
        case let lock as RunLockError:
            Console.error("error: \(lock.description)")
        case let database as DatabaseError:
            Console.error("error: \(database.description)")
        default:
            Console.error("error: \(error)")
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
