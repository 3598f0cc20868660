import ArgumentParser
import Dispatch
import ModelRunner

// Signals first: one that arrives while the rest of the process starts is kept, not lost.
SignalHandling.install()

/// The command parsed from the arguments, handed to the task that runs an async one.
final class ParsedCommand: @unchecked Sendable {
    var command: any ParsableCommand
    var failure: (any Error)?
    init(_ command: any ParsableCommand) { self.command = command }
}

// No async `main`: it would park the main thread in libdispatch's `sigsuspend` with an empty mask,
// where SIGINT/SIGTERM would kill the process instead of reaching SignalHandling. The main thread
// waits on a semaphore (signals still blocked) while an async command runs on the pool.
do {
    let parsed = ParsedCommand(try Sqlt.parseAsRoot())
    if parsed.command is AsyncParsableCommand {
        let done = DispatchSemaphore(value: 0)
        Task.detached {
            do {
                guard var asyncCommand = parsed.command as? AsyncParsableCommand else { return }
                try await asyncCommand.run()
            } catch {
                parsed.failure = error
            }
            done.signal()
        }
        done.wait()
        if let failure = parsed.failure { throw failure }
    } else {
        try parsed.command.run()
    }
} catch {
    Sqlt.exit(withError: error)
}
