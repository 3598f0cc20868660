import Foundation
import ModelCompiler

/// Where hub packages come from: the mirror folder (`SQLT_PACKAGE_MIRROR`, laid out
/// `<org>/<name>/<version>/`, no network at all) and the dbt hub's JSON API
/// (`DBT_PACKAGE_HUB_URL`, default `https://hub.getdbt.com/`). With a mirror set, the hub is only
/// asked for packages the mirror lacks, and only when `DBT_PACKAGE_HUB_URL` is set too.
struct PackageHub: Sendable {
    static let defaultURL = "https://hub.getdbt.com/"

    var mirror: String?
    var hubURL: String
    var hubIsExplicit: Bool

    init(environment: [String: String]) {
        let mirror = environment["SQLT_PACKAGE_MIRROR"].flatMap { $0.isEmpty ? nil : $0 }
        self.mirror = mirror.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        let hub = environment["DBT_PACKAGE_HUB_URL"].flatMap { $0.isEmpty ? nil : $0 }
        hubIsExplicit = hub != nil
        hubURL = hub ?? Self.defaultURL
    }

    /// Whether the hub (over HTTP) is consulted for a package the mirror does not have.
    var usesHub: Bool { mirror == nil || hubIsExplicit }

    // MARK: - Mirror

    /// The versions the mirror holds of `org/name`, or nil when it holds none.
    func mirrorVersions(_ name: String) -> [String]? {
        guard let mirror else { return nil }
        let folder = mirror + "/" + name
        guard let entries = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return nil }
        let versions = entries.filter { SemanticVersion(parsing: $0) != nil }.sorted()
        return versions.isEmpty ? nil : versions
    }

    /// The folder of one version in the mirror.
    func mirrorFolder(_ name: String, version: String) -> String? {
        guard let mirror else { return nil }
        let folder = mirror + "/" + name + "/" + version
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory) && isDirectory.boolValue
            ? folder : nil
    }

    /// Every `org/name` in the mirror, for "did you mean" hints.
    func mirrorPackages() -> [String] {
        guard let mirror, let orgs = try? FileManager.default.contentsOfDirectory(atPath: mirror) else { return [] }
        return orgs.sorted().flatMap { org in
            ((try? FileManager.default.contentsOfDirectory(atPath: mirror + "/" + org)) ?? []).sorted().map {
                "\(org)/\($0)"
            }
        }
    }

    // MARK: - Hub

    /// `<hub>/api/v1/<path>.json`.
    func url(_ path: String) -> String {
        (hubURL.hasSuffix("/") ? hubURL : hubURL + "/") + "api/v1/\(path).json"
    }

    /// The hub's index: every `org/name` it serves.
    func index() async throws(Diagnostic) -> [String] {
        let value = try await PackageHTTP.json(url("index"), what: "reading the package hub's index")
        guard case .array(let items) = value else {
            throw Diagnostic.error(
                "deps.hub-response", "the package hub's index at \(url("index")) is not a list of packages")
        }
        return items.compactMap(\.stringValue)
    }

    /// The hub's document of one package: `{name, namespace, versions: {version: {name, packages, downloads}}}`.
    func package(_ name: String) async throws(Diagnostic) -> [String: JSONValue] {
        let value = try await PackageHTTP.json(url(name), what: "reading \(name) from the package hub")
        guard case .object(let versions)? = value["versions"] else {
            throw Diagnostic.error(
                "deps.hub-response", "the package hub's answer for \(name) at \(url(name)) has no 'versions'")
        }
        return versions
    }
}
