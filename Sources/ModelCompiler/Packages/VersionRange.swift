/// A range of versions with an optional lower and upper bound (nil is unbounded), the
/// intersection of every requirement of one hub package, reduced with dbt's rules.
public struct VersionRange: Hashable, Sendable, CustomStringConvertible {
    public var start: SemanticVersion?
    public var end: SemanticVersion?

    public init(start: SemanticVersion?, end: SemanticVersion?) {
        self.start = start
        self.end = end
    }

    /// Every version.
    public static let any = VersionRange(start: nil, end: nil)

    /// `>=0.9.0, <1.0.0`, or `ANY`, as dbt prints a range.
    public var description: String {
        if start == nil && end == nil { return "ANY" }
        return [start, end].compactMap { $0?.specifierText }.joined(separator: ", ")
    }

    /// The range one specifier stands for: an exact version is both bounds.
    public init(_ specifier: SemanticVersion) {
        switch specifier.matcher {
        case .exact: self.init(start: specifier, end: specifier)
        case .greater, .greaterOrEqual: self.init(start: specifier, end: nil)
        case .less, .lessOrEqual: self.init(start: nil, end: specifier)
        }
    }

    /// The intersection of every specifier, or nil when they cannot all hold.
    public static func reduce(_ specifiers: [SemanticVersion]) -> VersionRange? {
        guard var range = specifiers.last.map(VersionRange.init) else { return .any }
        for specifier in specifiers.dropLast() {
            guard let next = range.intersect(VersionRange(specifier)) else { return nil }
            range = next
        }
        return range
    }

    /// Whether `version` lies in the range.
    public func contains(_ version: SemanticVersion) -> Bool {
        VersionRange.reduce([version] + [start, end].compactMap { $0 }) != nil
    }

    /// The highest of `available` (version texts as the hub lists them) inside the range.
    public func highest(of available: [String]) -> String? {
        var best: (SemanticVersion, String)?
        for text in available {
            guard let version = SemanticVersion(parsing: text), contains(version) else { continue }
            if best == nil || best!.0.compare(version) < 0 { best = (version, text) }
        }
        return best?.1
    }

    /// dbt's `filter_installable`: pre-releases dropped unless allowed, sorted lowest first.
    public static func installable(_ versions: [String], includePrerelease: Bool) -> [String] {
        let parsed = versions.compactMap { text in SemanticVersion(parsing: text).map { ($0, text) } }
            .filter { includePrerelease || $0.0.prerelease == nil }
        return parsed.sorted { $0.0.compare($1.0) < 0 }.map(\.1)
    }

    func intersect(_ other: VersionRange) -> VersionRange? {
        let newStart: SemanticVersion?, newEnd: SemanticVersion?
        if let a = start, let b = other.start, a.isExact, b.isExact {
            guard a.compare(b) == 0 else { return nil }
            newStart = a
            newEnd = a
        } else {
            guard let lower = Self.combineLower(start, other.start), let upper = Self.combineUpper(end, other.end)
            else { return nil }
            newStart = lower.value
            newEnd = upper.value
        }
        if let s = newStart, let e = newEnd, s.compare(e) > 0 { return nil }
        return VersionRange(start: newStart, end: newEnd)
    }

    /// A wrapper so "unbounded" (nil value) differs from "incompatible" (nil result).
    struct Bound { var value: SemanticVersion? }

    static func combineLower(_ a: SemanticVersion?, _ b: SemanticVersion?) -> Bound? {
        guard let a else { return Bound(value: b) }
        guard let b else { return Bound(value: a) }
        if !a.isExact && !b.isExact { return Bound(value: a.compare(b) < 0 ? b : a) }
        let (lower, exact) = a.isExact ? (b, a) : (a, b)
        let comparison = lower.compare(exact)
        if comparison < 0 || (comparison == 0 && lower.matcher == .greaterOrEqual) { return Bound(value: exact) }
        return nil
    }

    static func combineUpper(_ a: SemanticVersion?, _ b: SemanticVersion?) -> Bound? {
        guard let a else { return Bound(value: b) }
        guard let b else { return Bound(value: a) }
        if !a.isExact && !b.isExact { return Bound(value: a.compare(b) > 0 ? b : a) }
        let (upper, exact) = a.isExact ? (b, a) : (a, b)
        let comparison = upper.compare(exact)
        if comparison > 0 || (comparison == 0 && upper.matcher == .lessOrEqual) { return Bound(value: exact) }
        return nil
    }
}
