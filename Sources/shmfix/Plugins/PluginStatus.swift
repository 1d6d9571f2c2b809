/// The exit statuses of the plugin modes: the command line's, so every entry reads the same.
enum PluginStatus {
    /// Done; stdout holds the answer.
    static let success: Int32 = 0
    /// The input was refused (YAML error, conflict): for kustomize and Helm nothing is on stdout.
    static let refused: Int32 = 2
    /// The plugin was called or configured wrongly (bad config object, unexpected arguments).
    static let usage: Int32 = 64
}
