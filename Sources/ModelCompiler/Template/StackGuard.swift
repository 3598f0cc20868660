import CPgQuery

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The stack a render may use: deep macro recursion inside nested blocks and expressions can need
/// more stack than the thread has (a Swift concurrency thread has far less than the main thread's
/// 8 MiB), and running out stops the process. The renderer compares the stack pointer with this
/// bound at each expression, block and macro call, and stops with a template error instead.
struct StackGuard: Sendable {
    /// The lowest stack address the render may reach, or 0 when the bounds are unknown.
    let limit: UInt
    /// The lowest address of the thread's stack: an address below it is not on this stack (a
    /// sanitizer's fake stack frame), and says nothing about the stack's depth.
    let bottom: UInt

    /// The current stack address (a frame address, on the real stack even under AddressSanitizer).
    @inline(__always)
    static func address() -> UInt { UInt(sqlt_stack_address()) }

    /// Room kept free below the limit for what runs between two checks (native filters, repr,
    /// tojson, the error reporting itself).
    static let margin: UInt = 192 << 10

    #if canImport(Glibc)
        /// glibc's `pthread_getattr_np` (a GNU extension the Glibc module does not export), found by name.
        typealias GetAttributes = @convention(c) (pthread_t, UnsafeMutablePointer<pthread_attr_t>) -> CInt
        nonisolated(unsafe) static let getattr: GetAttributes? = dlsym(nil, "pthread_getattr_np").map {
            unsafeBitCast($0, to: GetAttributes.self)
        }
    #endif

    /// The bound for the current thread.
    init() {
        #if canImport(Glibc)
            var attributes = pthread_attr_t()
            guard let getattr = Self.getattr, getattr(pthread_self(), &attributes) == 0 else {
                (limit, bottom) = (0, 0); return
            }
            defer { pthread_attr_destroy(&attributes) }
            var base: UnsafeMutableRawPointer?
            var size = 0
            guard pthread_attr_getstack(&attributes, &base, &size) == 0, let base, size > Int(Self.margin) * 2 else {
                (limit, bottom) = (0, 0)
                return
            }
            bottom = UInt(bitPattern: base)
            limit = bottom + Self.margin
        #else
            let thread = pthread_self()
            let top = UInt(bitPattern: pthread_get_stackaddr_np(thread))
            let size = UInt(pthread_get_stacksize_np(thread))
            bottom = top - size
            limit = size > Self.margin * 2 ? bottom + Self.margin : 0
        #endif
    }

    /// Whether the stack has grown past the limit (stacks grow down on every platform sqlt runs on).
    @inline(__always)
    var exhausted: Bool {
        let address = Self.address()
        return address < limit && address >= bottom
    }
}
