import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// `2026-11-24T21:08:02.123456Z`: UTC with `fractionDigits` digits of the second (truncated), as
/// run_results.json and OpenLineage events write times. Built by hand: a formatter per call cost
/// seconds on runs of thousands of models (two timings per node, two events per model).
public enum UTCTimestamp {
    public static func string(_ date: Date, fractionDigits: Int) -> String {
        let interval = date.timeIntervalSince1970
        let whole = interval.rounded(.down)
        var seconds = time_t(whole)
        var parts = tm()
        gmtime_r(&seconds, &parts)
        var scale = 1
        for _ in 0..<fractionDigits { scale *= 10 }
        let fraction = min(scale - 1, Int(((interval - whole) * Double(scale)).rounded(.down)))
        var out =
            pad(Int(parts.tm_year) + 1900, 4) + "-" + pad(Int(parts.tm_mon) + 1, 2) + "-" + pad(Int(parts.tm_mday), 2)
        out += "T" + pad(Int(parts.tm_hour), 2) + ":" + pad(Int(parts.tm_min), 2) + ":" + pad(Int(parts.tm_sec), 2)
        if fractionDigits > 0 { out += "." + pad(fraction, fractionDigits) }
        return out + "Z"
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return digits.count >= width ? digits : String(repeating: "0", count: width - digits.count) + digits
    }
}
