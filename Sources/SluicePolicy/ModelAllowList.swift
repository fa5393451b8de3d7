/// The models a workload may use (`models:` of a workload).
public enum ModelAllowList: Sendable, Hashable, Encodable {
    /// Every model the policy routes (`"*"`). The default.
    case all
    /// Only these model names, each a key under `models:`.
    case only(Set<String>)

    /// Whether a request for `model` is allowed.
    public func allows(_ model: String) -> Bool {
        switch self {
        case .all: true
        case .only(let names): names.contains(model)
        }
    }

    /// The allowed names among `models`, sorted: what `GET /v1/models` lists.
    public func filter(_ models: some Sequence<String>) -> [String] {
        models.filter(allows).sorted()
    }

    /// Encodes as the policy writes it: `["*"]`, or the names sorted.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .all: try container.encode(["*"])
        case .only(let names): try container.encode(names.sorted())
        }
    }
}
