import Foundation
import FuzzDriver
import ModelCompiler

/// The executable's entry point (SwiftPM links `main` to `FuzzTemplates_main`): hands over to libFuzzer.
@_cdecl("FuzzTemplates_main")
public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var argc = argc
    var argv = argv
    return LLVMFuzzerRunDriver(&argc, &argv) { data, size in
        guard let data else { return 0 }
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        onLargeStack {
            bytes.withUnsafeBufferPointer {
                _ = fuzzTemplate($0.baseAddress ?? UnsafePointer(bitPattern: 1)!, $0.count)
            }
        }
        return 0
    }
}

/// Runs `body` on a new thread with a 64 MiB stack and waits for it. The renderer's stack guard
/// reads exact bounds for such a thread; for the main thread glibc only estimates them, and a
/// sanitized build's frames are several times larger than a normal one's.
func onLargeStack(_ body: @escaping @Sendable () -> Void) {
    let done = DispatchSemaphore(value: 0)
    let thread = Thread {
        body()
        done.signal()
    }
    thread.stackSize = 64 << 20
    thread.start()
    done.wait()
}

/// One fuzz input: parse it as a template and render it with globals that dbt projects use.
/// Errors are expected; only a crash (trap, sanitizer report, stack overflow) is a finding.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTemplate(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let template = try? Template.parse(text, file: "models/fuzz.sql") else { return 0 }
    _ = try? template.render(FuzzContext.context)
    _ = template.staticCalls(named: ["ref", "source", "config"])
    return 0
}

/// A render context with a few plain globals, so inputs can reach values other than literals.
enum FuzzContext {
    static let context: RenderContext = {
        var context = RenderContext()
        context.globals["xs"] = .list([.int(1), .int(2), .string("a")])
        context.globals["d"] = .dict([("k", .string("v")), ("n", .int(-9_223_372_036_854_775_807 - 1))])
        context.globals["big"] = .int(.max)
        context.globals["huge"] = .double(1e300)
        context.globals["s"] = .string("99999999999999999999")
        return context
    }()
}
