import Foundation
import ModelCompiler

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// HTTP GETs for `sqlt deps`: the hub's JSON and package tarballs, with Foundation's URLSession.
enum PackageHTTP {
    /// The body of `url`; a transport error or a status other than 2xx is a diagnostic.
    static func get(_ url: String, what: String) async throws(Diagnostic) -> Data {
        guard let target = URL(string: url), let scheme = target.scheme, ["http", "https", "file"].contains(scheme)
        else {
            throw Diagnostic.error("deps.url", "\(what): '\(url)' is not an http(s) URL")
        }
        if scheme == "file" {
            guard let data = FileManager.default.contents(atPath: target.path) else {
                throw Diagnostic.error("deps.download", "\(what): cannot read \(target.path)")
            }
            return data
        }
        var request = URLRequest(url: target, timeoutInterval: 60)
        request.setValue("sqlt/\(SqltVersion.current)", forHTTPHeaderField: "User-Agent")
        // Like dbt, a connection failure or a server error (5xx) is tried again, up to 5 times in all.
        var attempt = 1
        while true {
            let failure: Diagnostic
            let retry: Bool
            do {
                let (data, response) = try await URLSession.shared.data(for: request)
                let status = (response as? HTTPURLResponse)?.statusCode ?? 200
                if (200..<300).contains(status) { return data }
                failure = Diagnostic.error("deps.download", "\(what): GET \(url) answered HTTP \(status)")
                retry = status >= 500
            } catch {
                failure = Diagnostic.error(
                    "deps.download", "\(what): cannot GET \(url): \(error.localizedDescription)",
                    hint: "without network, set SQLT_PACKAGE_MIRROR to a folder of packages")
                retry = true
            }
            guard retry, attempt < 5 else { throw failure }
            try? await Task.sleep(for: .milliseconds(250 * attempt))
            attempt += 1
        }
    }

    /// `get`, decoded as JSON.
    static func json(_ url: String, what: String) async throws(Diagnostic) -> JSONValue {
        let data = try await get(url, what: what)
        do {
            return try JSONDecoder().decode(JSONValue.self, from: data)
        } catch {
            throw Diagnostic.error("deps.hub-response", "\(what): \(url) did not answer JSON")
        }
    }
}
