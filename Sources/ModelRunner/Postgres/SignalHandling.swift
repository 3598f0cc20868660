import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// SIGINT and SIGTERM for the CLI, never lost. `install()` runs first thing in `main`, before
/// any other thread exists: it blocks both signals (every later thread inherits the mask), so a
/// signal stays pending until one dedicated thread takes it with `sigwait`, whatever the moment
/// it arrives. The disposition is reset to the default too: a shell starts background jobs with
/// SIGINT ignored, and an ignored signal is discarded unless blocked.
///
/// While a handler is set (a run: cancel its queries and stop), the first signal calls it; with
/// none, or at a second signal, every open connection's query is cancelled and the process exits
/// 130 (SIGINT) or 143 (SIGTERM), as shells report a process killed by that signal.
public enum SignalHandling {
    private final class State: @unchecked Sendable {
        let lock = NSLock()
        var installed = false
        var handler: (@Sendable (Int32) -> Void)?
        var received: Int32?
    }

    private static let state = State()

    /// The exit code for a signal: 128 + its number (130 for SIGINT, 143 for SIGTERM).
    public static func exitCode(for signalNumber: Int32) -> Int32 { 128 + signalNumber }

    /// Blocks SIGINT and SIGTERM and starts the thread that waits for them. Calling it again does nothing.
    public static func install() {
        state.lock.lock()
        defer { state.lock.unlock() }
        guard !state.installed else { return }
        state.installed = true
        var set = signals()
        pthread_sigmask(SIG_BLOCK, &set, nil)
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
        let thread = Thread {
            while true {
                var set = signals()
                var received: Int32 = 0
                guard sigwait(&set, &received) == 0 else { continue }
                handle(received)
            }
        }
        thread.name = "sqlt-signals"
        thread.start()
    }

    /// Sets (or, with nil, removes) what the first signal does instead of exiting.
    public static func setHandler(_ handler: (@Sendable (Int32) -> Void)?) {
        state.lock.lock()
        state.handler = handler
        state.lock.unlock()
    }

    /// The first signal received since the process started, if any.
    public static var received: Int32? {
        state.lock.lock()
        defer { state.lock.unlock() }
        return state.received
    }

    private static func handle(_ signalNumber: Int32) {
        state.lock.lock()
        let first = state.received == nil
        if first { state.received = signalNumber }
        let handler = state.handler
        state.lock.unlock()
        if first, let handler {
            handler(signalNumber)
            return
        }
        ActiveConnections.cancelAll()
        fflush(nil)
        _exit(exitCode(for: state.received ?? signalNumber))
    }

    private static func signals() -> sigset_t {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGINT)
        sigaddset(&set, SIGTERM)
        return set
    }
}
