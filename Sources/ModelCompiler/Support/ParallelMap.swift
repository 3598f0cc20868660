import Dispatch

/// Maps over an array on every core, keeping order. Used for parsing and rendering thousands of
/// independent files; inputs of fewer than `minimumCount` items run inline (lower it for a few large
/// items). Each result is written once into its slot and then moved (not copied) into the returned array.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], minimumCount: Int = 32, _ transform: @Sendable (T) -> R) -> [R]
{
    if items.count < max(2, minimumCount) { return items.map(transform) }
    let count = items.count
    let buffer = UnsafeMutableBufferPointer<R>.allocate(capacity: count)
    defer { buffer.deallocate() }
    nonisolated(unsafe) let slots = buffer
    let chunkSize = items.count < 32 ? 1 : 16
    let chunks = (count + chunkSize - 1) / chunkSize
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let start = chunk * chunkSize
        for index in start..<min(start + chunkSize, count) {
            (slots.baseAddress! + index).initialize(to: transform(items[index]))
        }
    }
    return Array(unsafeUninitializedCapacity: count) { destination, initialized in
        destination.baseAddress!.moveInitialize(from: buffer.baseAddress!, count: count)
        initialized = count
    }
}
