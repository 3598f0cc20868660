/// `adapter.dispatch(macro_name, macro_namespace=None)`: the implementation of a macro for
/// PostgreSQL, as dbt finds it. For each package of the search order it tries
/// `postgres__<name>`, then `default__<name>`; the first found is returned, uncalled.
///
/// The search order: the root project's `dispatch:` setting for the namespace when there is one;
/// else, when the namespace is an installed package, the root project then that package; else
/// (no namespace, `dbt`, or a package that is not installed) one plain-name lookup as the calling
/// template resolves names, which finds the project's macros before dbt's built-in ones.
enum AdapterDispatch {
    /// The adapter's macro prefixes, most specific first.
    static let prefixes = ["postgres", "default"]

    /// `adapter.dispatch` as a template function.
    static let function = TemplateFunction(name: "dispatch") { args in
        guard let nameValue = args.argument(0, "macro_name"), case .string(let name) = nameValue else {
            throw TemplateError("adapter.dispatch() needs a macro name string")
        }
        if let dot = name.firstIndex(of: ".") {
            let package = name[..<dot], macro = name[name.index(after: dot)...]
            throw TemplateError(
                "in adapter.dispatch, got a macro name of \"\(name)\", but \".\" is not allowed in macro names; use adapter.dispatch('\(macro)', macro_namespace='\(package)')"
            )
        }
        let namespace: String?
        switch args.argument(1, "macro_namespace") {
        case nil, .none?, .undefined?: namespace = nil
        case .string(let s)?: namespace = s
        case let other?:
            throw TemplateError("in adapter.dispatch, macro_namespace must be none or a string, not \(other.typeName)")
        }
        guard let library = args.macros else { throw TemplateError("adapter.dispatch() called outside a render") }
        var attempts: [String] = []
        for package in searchPackages(namespace, library) {
            for prefix in prefixes {
                let candidate = "\(prefix)__\(name)"
                let found: MacroValue?
                if let package {
                    attempts.append("'\(package).\(candidate)'")
                    found = library.macro(named: candidate, inPackage: package)
                } else {
                    attempts.append("'\(candidate)'")
                    found = args.macro(named: candidate)
                }
                if let found { return .macro(found) }
            }
        }
        throw TemplateError(
            "in dispatch: no macro named '\(name)' found within namespace: '\(namespace ?? "None")'; searched for: \(attempts.joined(separator: ", "))"
        )
    }

    /// The packages searched, in order; nil stands for the plain-name lookup.
    static func searchPackages(_ namespace: String?, _ library: MacroLibrary) -> [String?] {
        guard let namespace else { return [nil] }
        if let order = library.dispatchSearchOrder[namespace], !order.isEmpty { return order }
        if library.hasPackage(namespace), namespace != library.rootPackage {
            return [library.rootPackage ?? namespace, namespace]
        }
        return [nil]
    }
}
