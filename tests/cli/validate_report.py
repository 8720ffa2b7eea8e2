#!/usr/bin/python3
"""Validates srm-check --json output (stdin) against the schema (argv[1]).
Exit 0 when valid; otherwise prints every violation and exits 1."""
import json
import sys

import jsonschema

schema = json.load(open(sys.argv[1], encoding="utf-8"))
report = json.load(sys.stdin)
validator = jsonschema.Draft202012Validator(schema)
errors = sorted(validator.iter_errors(report), key=lambda e: list(e.path))
for e in errors:
    print("/".join(map(str, e.path)) or "(root)", ":", e.message)
sys.exit(1 if errors else 0)
