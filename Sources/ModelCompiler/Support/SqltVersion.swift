/// The version of sqlt, printed by `sqlt --version` and written into artifacts.
public enum SqltVersion {
    public static let current = "0.1.0"
}
