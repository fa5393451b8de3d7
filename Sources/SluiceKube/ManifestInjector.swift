import Yams

/// `sluice inject`: multi-document YAML in, the same YAML with the sidecar added out.
///
/// Every document that is not a workload (a Service, a ConfigMap), that opts out, or that already
/// has the sidecar comes back byte for byte, its `---` and comments included. A document that
/// changes is re-emitted by Yams from its parsed tree with the ``PodSpecMutation`` operations
/// applied: its values and their quoting survive, its inner comments do not (the comment lines at
/// its top do). Running it on its own output changes nothing.
public struct ManifestInjector: Sendable {
    public var mutation: PodSpecMutation

    public init(settings: InjectionSettings = InjectionSettings()) {
        self.mutation = PodSpecMutation(settings: settings)
    }

    /// Injects every workload in `text`.
    public func inject(_ text: String) throws(ManifestError) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + 2048)
        for document in YAMLDocumentSplitter.split(text) {
            output += try self.inject(document)
        }
        return output
    }

    /// The operations that inject every pod in `object` (a workload, or a `List` of them), with
    /// paths from the object's root. Empty when nothing is to change.
    public func operations(for object: KubeValue) -> [PatchOperation] {
        if let kind = object["kind"]?.string, kind.hasSuffix("List"), let items = object["items"]?.array {
            return items.enumerated().flatMap { index, item in
                self.operations(for: item).map { $0.prefixed(by: ["items", String(index)]) }
            }
        }
        guard let kind = WorkloadKind(of: object), let template = object[path: kind.templatePath] else { return [] }
        switch self.mutation.decide(template: template, owner: kind == .pod ? nil : object) {
        case .inject(let operations): return operations.map { $0.prefixed(by: kind.templatePath) }
        case .skip: return []
        }
    }

    private func inject(_ document: YAMLDocumentSplitter.Document) throws(ManifestError) -> String {
        if document.isTrivia { return String(document.text) }
        var node: Node
        do {
            guard let parsed = try Yams.compose(yaml: String(document.text)) else { return String(document.text) }
            node = parsed
        } catch {
            throw Self.translate(error, firstLine: document.firstLine)
        }
        let operations = self.operations(for: KubeValue(node))
        if operations.isEmpty { return String(document.text) }
        for operation in operations { try node.apply(operation) }
        let emitted: String
        do {
            emitted = try Yams.serialize(node: node, indent: 2, width: -1, allowUnicode: true, newLineScalarStyle: .literal)
        } catch {
            throw ManifestError(line: document.firstLine, column: nil, message: "cannot write the injected document: \(error)")
        }
        var separator = String(document.separator)
        let afterMarker = document.separator.dropFirst(3).drop(while: { $0 == " " || $0 == "\t" })
        if !separator.isEmpty && !afterMarker.hasPrefix("#") && !afterMarker.allSatisfy(\.isNewline) {
            // `--- !!map` or `--- {…}`: the content on that line is part of the re-emitted tree.
            separator = "---\n"
        }
        return separator + document.leadingComments + emitted
    }

    /// A Yams error as `LINE:COL: problem`, the line counted from the top of the whole input.
    static func translate(_ error: any Error, firstLine: Int) -> ManifestError {
        guard let yamlError = error as? YamlError else {
            return ManifestError(line: firstLine, column: nil, message: "\(error)")
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let detail = context.map { "\(problem) (\($0.text))" } ?? problem
            return ManifestError(line: firstLine + mark.line - 1, column: mark.column, message: "invalid YAML: \(detail)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ManifestError(
                line: firstLine + context.mark.line - 1,
                column: context.mark.column,
                message: "invalid YAML: duplicate keys \(duplicates.joined(separator: ", "))"
            )
        default:
            return ManifestError(line: firstLine, column: nil, message: "invalid YAML: \(yamlError)")
        }
    }
}
