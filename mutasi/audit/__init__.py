"""The auditor's side of the log: trails, exports, chain and checkpoint verification, the CLI."""
