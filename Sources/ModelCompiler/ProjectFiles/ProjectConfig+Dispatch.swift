/// The project file's `dispatch:` setting, as dbt reads it:
/// `dispatch: [{macro_namespace: dbt_utils, search_order: [my_project, dbt_utils]}]`.
extension ProjectConfig {
    static func dispatchSetting(_ node: YAMLNode?, _ errors: inout [Diagnostic]) -> [String: [String]] {
        guard let node else { return [:] }
        guard let items = node.items else {
            errors.append(
                .error(
                    "project.invalid-dispatch", "'dispatch' must be a list of {macro_namespace, search_order} entries",
                    at: node.location))
            return [:]
        }
        var orders: [String: [String]] = [:]
        for item in items {
            guard let namespace = item["macro_namespace"]?.string, !namespace.isEmpty else {
                errors.append(
                    .error(
                        "project.invalid-dispatch", "a 'dispatch' entry needs a 'macro_namespace'", at: item.location))
                continue
            }
            guard let order = item["search_order"]?.items?.compactMap(\.string), !order.isEmpty,
                order.count == item["search_order"]?.items?.count
            else {
                errors.append(
                    .error(
                        "project.invalid-dispatch",
                        "the 'dispatch' entry for '\(namespace)' needs a 'search_order' list of package names",
                        at: item["search_order"]?.location ?? item.location))
                continue
            }
            orders[namespace] = order
        }
        return orders
    }
}
