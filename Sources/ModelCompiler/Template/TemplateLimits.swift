/// The bounds a template cannot cross: nesting depth, text and list sizes, 64-bit integers.
///
/// Jinja runs in Python, where integers are unbounded and a too-deep template raises `RecursionError`
/// or `MemoryError`. Here the same inputs would stop the process (a trap on overflow, a stack overflow,
/// an allocation failure), so every operation that can grow without bound checks one of these limits
/// first and throws a `TemplateError`, reported at the expression's `file:line:col`.
public enum TemplateLimits {
    /// Deepest nesting of expressions and blocks in one template (parentheses, operators, `{% if %}`...).
    /// Jinja itself stops near 80 nested parentheses (Python's recursion limit) and 100 nested blocks.
    public static let maximumNesting = 100
    /// Largest text a value or a render's output may hold, in UTF-8 bytes (64 MiB).
    public static let maximumTextBytes = 64 << 20
    /// Most elements a list built by a template may hold.
    public static let maximumItems = 10_000_000
    /// Deepest nesting of lists and dicts printed or serialized (Python prints a cycle as `[...]`).
    public static let maximumValueDepth = 200

    /// The error for a text over `maximumTextBytes`.
    static func textTooLarge(_ bytes: Int) -> TemplateError {
        TemplateError("text too large: \(bytes) bytes is over the limit of \(maximumTextBytes) bytes (64 MiB)")
    }

    /// Throws unless a text of `bytes` bytes fits.
    static func checkText(_ bytes: Int) throws {
        if bytes > maximumTextBytes { throw textTooLarge(bytes) }
    }

    /// Throws unless a list of `count` items fits.
    static func checkItems(_ count: Int) throws {
        if count > maximumItems {
            throw TemplateError("list too large: \(count) items is over the limit of \(maximumItems) items")
        }
    }

    /// `s * n` in Python: the text repeated, empty for `n <= 0`, an error past the size limit.
    static func repeated(_ s: String, _ n: Int) throws -> String {
        guard n > 0, !s.isEmpty else { return "" }
        let (bytes, overflow) = s.utf8.count.multipliedReportingOverflow(by: n)
        try checkText(overflow ? Int.max : bytes)
        return String(repeating: s, count: n)
    }

    /// `n` spaces (none for `n <= 0`), an error past the size limit.
    static func spaces(_ n: Int) throws -> String { try repeated(" ", n) }

    /// `items * n` in Python: the list repeated, empty for `n <= 0`, an error past the item limit.
    static func repeated(_ items: [TemplateValue], _ n: Int) throws -> [TemplateValue] {
        guard n > 0, !items.isEmpty else { return [] }
        let (count, overflow) = items.count.multipliedReportingOverflow(by: n)
        try checkItems(overflow ? Int.max : count)
        var out: [TemplateValue] = []
        out.reserveCapacity(count)
        for _ in 0..<n { out += items }
        return out
    }

    /// `separator.join(parts)`, an error past the size limit.
    static func joined(_ parts: [String], separator: String) throws -> String {
        var bytes = separator.utf8.count * max(0, parts.count - 1)
        for p in parts {
            bytes += p.utf8.count
            try checkText(bytes)
        }
        try checkText(bytes)
        return parts.joined(separator: separator)
    }

    /// A float truncated toward zero as a 64-bit integer (Python's `int(x)`), or an error when it does not fit.
    static func integer(_ d: Double) throws -> Int {
        guard d.isFinite else {
            throw TemplateError(
                d.isNaN ? "cannot convert float NaN to integer" : "cannot convert float infinity to integer")
        }
        guard let i = Int(exactly: d.rounded(.towardZero)) else { throw integerOverflow(TemplateValue.pythonFloat(d)) }
        return i
    }

    /// The error for a number outside the 64-bit range.
    static func integerOverflow(_ what: String) -> TemplateError {
        TemplateError("integer overflow: \(what) does not fit in a 64-bit integer")
    }
}
