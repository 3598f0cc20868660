/// A version or a bound as dbt writes them in `packages.yml`: `1.3.3`, `>=0.9.0`, `<1.0.0`,
/// `1.0.0-rc1+build`. Compared and reduced with dbt's rules (dbt_common's `semver`), so a range
/// list resolves to the version `dbt deps` would pick.
public struct SemanticVersion: Hashable, Sendable, CustomStringConvertible {
    public enum Matcher: String, Sendable {
        case greater = ">", greaterOrEqual = ">=", less = "<", lessOrEqual = "<=", exact = "="
    }

    public var matcher: Matcher
    public var major: Int
    public var minor: Int
    public var patch: Int
    public var prerelease: String?
    public var build: String?

    public init(
        _ matcher: Matcher = .exact, _ major: Int, _ minor: Int, _ patch: Int, prerelease: String? = nil,
        build: String? = nil
    ) {
        self.matcher = matcher
        self.major = major
        self.minor = minor
        self.patch = patch
        self.prerelease = prerelease
        self.build = build
    }

    /// Parses `[matcher]MAJOR.MINOR.PATCH[-prerelease][+build]`; nil when it is not one.
    public init?(parsing text: String) {
        var rest = Substring(text)
        var matcher = Matcher.exact
        for candidate in [Matcher.greaterOrEqual, .lessOrEqual, .greater, .less, .exact]
        where rest.hasPrefix(candidate.rawValue) {
            matcher = candidate
            rest = rest.dropFirst(candidate.rawValue.count)
            break
        }
        var build: String?
        if let plus = rest.firstIndex(of: "+") {
            let value = rest[rest.index(after: plus)...]
            guard
                value.split(separator: ".", omittingEmptySubsequences: false).allSatisfy({
                    $0.allSatisfy(Self.isIdentifierCharacter)
                })
            else { return nil }
            build = String(value)
            rest = rest[..<plus]
        }
        var numbers: [Int] = []
        var index = rest.startIndex
        for part in 0..<3 {
            let start = index
            while index < rest.endIndex, rest[index].isASCII, rest[index].isNumber { index = rest.index(after: index) }
            let digits = rest[start..<index]
            guard !digits.isEmpty, digits == "0" || !digits.hasPrefix("0"), let value = Int(digits) else { return nil }
            numbers.append(value)
            if part < 2 {
                guard index < rest.endIndex, rest[index] == "." else { return nil }
                index = rest.index(after: index)
            }
        }
        var prerelease: String?
        var tail = rest[index...]
        if tail.hasPrefix("-") { tail = tail.dropFirst() }
        if !tail.isEmpty {
            for identifier in tail.split(separator: ".", omittingEmptySubsequences: false) {
                guard !identifier.isEmpty, identifier.allSatisfy(Self.isIdentifierCharacter) else { return nil }
                if identifier.allSatisfy(\.isNumber), identifier.count > 1, identifier.hasPrefix("0") { return nil }
            }
            prerelease = String(tail)
        } else if rest[index...].hasPrefix("-") {
            return nil
        }
        self.init(matcher, numbers[0], numbers[1], numbers[2], prerelease: prerelease, build: build)
    }

    private static func isIdentifierCharacter(_ c: Character) -> Bool {
        c.isASCII && (c.isLetter || c.isNumber || c == "-")
    }

    /// `>=1.0.0`; the matcher is left out when it is `=`, as in a resolved version.
    public var description: String { (matcher == .exact ? "" : matcher.rawValue) + versionText }

    /// The text with the matcher, `=` included, as dbt prints ranges.
    public var specifierText: String { matcher.rawValue + versionText }

    /// `1.0.0-rc1+b`, without a matcher.
    public var versionText: String {
        "\(major).\(minor).\(patch)" + (prerelease.map { "-" + $0 } ?? "") + (build.map { "+" + $0 } ?? "")
    }

    var isLowerBound: Bool { matcher == .greater || matcher == .greaterOrEqual }
    var isUpperBound: Bool { matcher == .less || matcher == .lessOrEqual }
    var isExact: Bool { matcher == .exact }

    /// dbt's comparison: numbers, then pre-release (a release is above its pre-releases, except
    /// against a `<` bound), then the matchers of equal versions (`>1.0.0` is above `>=1.0.0`).
    func compare(_ other: SemanticVersion) -> Int {
        for (a, b) in [(major, other.major), (minor, other.minor), (patch, other.patch)] where a != b {
            return a > b ? 1 : -1
        }
        switch (prerelease, other.prerelease) {
        case (nil, nil): break
        case (nil, _): return matcher == .less ? -1 : 1
        case (_, nil): return -1
        case (let a?, let b?):
            let result = Self.comparePrerelease(a, b)
            if result != 0 { return result }
        }
        if (matcher == .greaterOrEqual && other.matcher == .lessOrEqual)
            || (matcher == .lessOrEqual && other.matcher == .greaterOrEqual)
        {
            return 0
        }
        if (matcher == .less && other.matcher == .lessOrEqual)
            || (other.matcher == .greater && matcher == .greaterOrEqual)
            || (isUpperBound && other.isLowerBound)
        {
            return -1
        }
        if (other.matcher == .less && matcher == .lessOrEqual)
            || (matcher == .greater && other.matcher == .greaterOrEqual)
            || (isLowerBound && other.isUpperBound)
        {
            return 1
        }
        return 0
    }

    /// Dot-separated identifiers: numbers below words, numbers numerically, words by text, then the longer text.
    static func comparePrerelease(_ a: String, _ b: String) -> Int {
        let left = a.split(separator: ".", omittingEmptySubsequences: false)
        let right = b.split(separator: ".", omittingEmptySubsequences: false)
        for (x, y) in zip(left, right) {
            let nx = x.allSatisfy(\.isNumber) ? Int(x) : nil
            let ny = y.allSatisfy(\.isNumber) ? Int(y) : nil
            switch (nx, ny) {
            case (let p?, let q?): if p != q { return p < q ? -1 : 1 }
            case (.some, nil): return -1
            case (nil, .some): return 1
            case (nil, nil): if x != y { return x < y ? -1 : 1 }
            }
        }
        return a.count == b.count ? 0 : (a.count < b.count ? -1 : 1)
    }
}
