import Foundation

/// Values handed here live until the process exits. A compiled project of 10,000 models is a
/// graph of hundreds of thousands of strings, arrays and dictionaries; releasing them one by one
/// at the end of a command took longer than the kernel takes to drop the whole address space
/// (the reason compilers such as clang skip freeing at exit). Only for values a command keeps
/// until it ends anyway.
enum ProcessLifetime {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var kept: [Any] = []

    static func keep(_ value: Any) {
        lock.withLock { kept.append(value) }
    }
}
