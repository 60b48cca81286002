"""The core value types: locations, problems, exit codes, the model, findings, words."""
