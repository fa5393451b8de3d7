extension Policy {
    /// Every file the policy reads besides itself: secret files and CA files. A change to any of them
    /// is a reason to reload, so that a rotated key is used by the next request.
    public var referencedFiles: [String] {
        var files: Set<String> = []
        for provider in self.providers.values {
            if case .file(let path) = provider.apiKey { files.insert(path) }
            if let caFile = provider.tls.caFile { files.insert(caFile) }
        }
        for workload in self.workloads.values {
            for case .file(let path) in workload.providerKeys.values { files.insert(path) }
        }
        return files.sorted()
    }
}
