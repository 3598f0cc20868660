import Dispatch
import ModelRunner

// Signals first: one that arrives while the rest of the process starts is kept, not lost.
SignalHandling.install()

// No async `main`: it would park the main thread in libdispatch's `sigsuspend` with an empty mask,
// where SIGINT/SIGTERM would kill the process instead of reaching SignalHandling. The main thread
// waits on a semaphore (signals still blocked) while `SqltMain` runs on the pool and exits.
let finished = DispatchSemaphore(value: 0)
Task.detached {
    await SqltMain.main()
    finished.signal()
}
finished.wait()
