import Yams

/// Turns a Yams error into located issues with messages for people who edit YAML by hand.
enum YAMLErrorTranslator {
    /// The issues for an error thrown while composing `yaml`.
    static func issues(for error: any Error, yaml: String, file: String) -> [PolicyIssue] {
        func issue(_ message: String, at position: SourcePosition) -> PolicyIssue {
            PolicyIssue(file: file, line: position.line, column: position.column, message: message)
        }
        guard let yamlError = error as? YamlError else {
            return [issue("invalid YAML: \(error)", at: .start)]
        }
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _):
            return [
                issue(
                    syntaxMessage(problem: problem, context: context, mark: mark, yaml: yaml), at: SourcePosition(mark))
            ]
        case .composer(let context, let problem, let mark, _):
            // Yams' own wording for a second `---` reads backwards out of context.
            if problem == "but found another document" {
                return [
                    issue(
                        "the policy file must hold one YAML document, but a second one starts here",
                        at: SourcePosition(mark))
                ]
            }
            return [
                issue(
                    syntaxMessage(problem: problem, context: context, mark: mark, yaml: yaml), at: SourcePosition(mark))
            ]
        case .reader(let problem, let offset, _, _):
            return [issue("invalid YAML: \(problem)", at: position(ofCharacterOffset: offset, in: yaml))]
        case .duplicatedKeysInMapping(let duplicates, let context):
            return duplicates.map { key in
                let first = SourcePosition(context.mark)
                let places = DuplicateKeyLocator.occurrences(of: key, near: first, in: yaml)
                guard places.count >= 2 else {
                    return issue("duplicate key '\(key)'; a key may appear only once in a mapping", at: first)
                }
                return issue(
                    "duplicate key '\(key)'; it is already defined at line \(places[0].line), "
                        + "column \(places[0].column)",
                    at: places[1]
                )
            }
        default:
            return [issue("invalid YAML: \(yamlError)", at: .start)]
        }
    }

    /// `invalid YAML: PROBLEM (CONTEXT at line L, column C)`, with a hint when a tab or an
    /// unquoted `*` is the culprit.
    private static func syntaxMessage(problem: String, context: YamlError.Context?, mark: Mark, yaml: String) -> String
    {
        var message = "invalid YAML: \(problem)"
        if let context {
            message += " (\(context.text) at line \(context.mark.line), column \(context.mark.column))"
        }
        if character(at: SourcePosition(mark), in: yaml) == "\t" {
            message += "; indent with spaces, YAML does not allow tabs"
        }
        // `models: [*]` reads as an alias with no name; the allow-list's wildcard needs quotes.
        if let context, context.text == "while scanning an alias",
            character(at: SourcePosition(context.mark), in: yaml) == "*"
        {
            message += "; a * starts an alias in YAML, so write \"*\" in quotes"
        }
        return message
    }

    /// The character at a 1-based line and Unicode-scalar column, if there is one.
    private static func character(at position: SourcePosition, in yaml: String) -> Unicode.Scalar? {
        let lines = SourcePosition.scalarLines(of: yaml)
        guard position.line >= 1, position.line <= lines.count else { return nil }
        let scalars = lines[position.line - 1]
        guard position.column >= 1, position.column <= scalars.count else { return nil }
        return scalars[position.column - 1]
    }

    /// The line and column of a character offset, which is how Yams reports reader errors.
    private static func position(ofCharacterOffset offset: Int?, in yaml: String) -> SourcePosition {
        guard let offset else { return .start }
        var line = 1
        var column = 1
        for character in yaml.prefix(offset) {
            if character == "\n" || character == "\r\n" {
                line += 1
                column = 1
            } else {
                column += character.unicodeScalars.count
            }
        }
        return SourcePosition(line: line, column: column)
    }
}
