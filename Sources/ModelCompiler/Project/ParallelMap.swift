import Dispatch

/// Maps over an array on every core, keeping order. Used for parsing and rendering thousands of
/// independent files; small inputs run inline.
func parallelMap<T: Sendable, R: Sendable>(_ items: [T], _ transform: @Sendable (T) -> R) -> [R] {
    if items.count < 32 { return items.map(transform) }
    let buffer = UnsafeMutableBufferPointer<R?>.allocate(capacity: items.count)
    buffer.initialize(repeating: nil)
    defer { buffer.deallocate() }
    nonisolated(unsafe) let results = buffer
    let chunkSize = 16
    let chunks = (items.count + chunkSize - 1) / chunkSize
    DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
        let start = chunk * chunkSize
        let end = min(start + chunkSize, items.count)
        for index in start..<end { results[index] = transform(items[index]) }
    }
    return buffer.map { $0! }
}
