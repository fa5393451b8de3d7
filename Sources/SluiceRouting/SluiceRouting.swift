// The routing module (issue 6) is being built; this file keeps the target valid.
