// The redaction and prompt-guard module (issue 5) is being built; this file keeps the target valid.
