import ArgumentParser
import Foundation

/// A command's own failure (not a library error): the line `SqltMain` prints on standard error
/// and the exit code it ends with. Commands throw it instead of printing and throwing `ExitCode`.
struct CommandFailure: Error, CustomStringConvertible {
    /// Printed as it is (`error: ...`, `cancelled: ...`).
    var line: String
    var exitCode: Int32

    init(line: String, exitCode: Int32) {
        self.line = line
        self.exitCode = exitCode
    }

    /// `error: <message>`, exit `exitCode`.
    static func error(_ message: String, exitCode: Int32) -> CommandFailure {
        CommandFailure(line: "error: \(message)", exitCode: exitCode)
    }

    var description: String { line }
}

/// A library error printed as its kind is (a diagnostic with its source line, a database error,
/// ...) that ends the command with another exit code than its kind's: `sqlt debug` exits 1 for a
/// bad profile, which other commands report with 2.
struct ExitingWith: Error, CustomStringConvertible {
    var error: any Error
    var exitCode: Int32

    init(_ error: any Error, exitCode: Int32) {
        self.error = error
        self.exitCode = exitCode
    }

    var description: String { "\(error)" }
}

/// A command whose errors are reported against its project folder (diagnostics quote the
/// project's files): every command with the global options except `init`.
protocol ProjectCommand {
    var global: GlobalOptions { get }
}
