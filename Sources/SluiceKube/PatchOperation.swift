/// One JSON Patch (RFC 6902) `add`: the only operation injection needs, since it only ever adds
/// (a container, env entries, volumes) and never rewrites what the user wrote.
///
/// `sluice inject` applies these to the YAML document; the webhook sends them as the patch.
/// Both come from ``PodSpecMutation``, which is why the two results are equal.
public struct PatchOperation: Sendable, Hashable {
    /// Object keys and array indices (decimal, or `-` for "append"), unescaped.
    public var path: [String]
    /// What is added.
    public var value: KubeValue

    public init(path: [String], value: KubeValue) {
        self.path = path
        self.value = value
    }

    /// This operation with `prefix` in front of its path (a pod template inside a workload).
    public func prefixed(by prefix: [String]) -> PatchOperation {
        PatchOperation(path: prefix + self.path, value: self.value)
    }

    /// The RFC 6901 pointer: `~` as `~0`, `/` as `~1`.
    public var pointer: String {
        self.path.map { "/" + $0.replacing("~", with: "~0").replacing("/", with: "~1") }.joined()
    }

    /// `{"op":"add","path":…,"value":…}`.
    public var json: KubeValue {
        .object(["op": .string("add"), "path": .string(self.pointer), "value": self.value])
    }
}
