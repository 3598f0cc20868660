/// Maps UTF-8 offsets of rendered output back to template locations.
public struct SourceMap: Sendable {
    /// A run of output bytes that came from one place of the template.
    struct Segment: Sendable {
        let outputStart: Int
        let length: Int
        let templateOffset: Int
        /// Literal text maps byte for byte; printed expressions map to the expression's start.
        let linear: Bool
    }

    let source: TemplateSource
    let segments: [Segment]

    /// The template location that produced the output byte at `forOutputOffset`, or nil past the end.
    public func location(forOutputOffset offset: Int) -> SourceLocation? {
        var lo = 0, hi = segments.count - 1
        var found: Segment?
        while lo <= hi {
            let mid = (lo + hi) / 2
            let s = segments[mid]
            if offset < s.outputStart {
                hi = mid - 1
            } else if offset >= s.outputStart + s.length {
                lo = mid + 1
            } else {
                found = s
                break
            }
        }
        guard let found else { return nil }
        return source.location(
            found.linear ? found.templateOffset + (offset - found.outputStart) : found.templateOffset)
    }
}
