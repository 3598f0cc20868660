import Dispatch
import Foundation

/// Ctrl-C and SIGTERM handling for the CLI: cancel every running query, then exit.
public enum SignalHandling {
    private final class Sources: @unchecked Sendable {
        let lock = NSLock()
        var installed: [DispatchSourceSignal] = []
    }

    private static let sources = Sources()

    /// Installs handlers for SIGINT (exit 130) and SIGTERM (exit 143) that cancel the running
    /// statement of every open connection first. Calling it again does nothing.
    public static func installCancelOnInterrupt() {
        sources.lock.lock()
        defer { sources.lock.unlock() }
        guard sources.installed.isEmpty else { return }
        for (signalNumber, exitCode) in [(SIGINT, Int32(130)), (SIGTERM, Int32(143))] {
            signal(signalNumber, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: signalNumber, queue: .global())
            source.setEventHandler {
                ActiveConnections.cancelAll()
                exit(exitCode)
            }
            source.resume()
            sources.installed.append(source)
        }
    }
}
