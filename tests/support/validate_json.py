"""Checks JSON documents with Python's jsonschema (an independent validator, not trackplan's code).

Reads {"schema": S, "cases": [{"name": N, "ref": R, "instance": I, "valid": true|false}]} on stdin,
checks S as a draft 2020-12 schema, then validates each instance against the part of S that the
reference R names (`#/$defs/Order%20Completed`; `#` for the whole) with format assertions on, and
prints one line per case whose outcome is not the expected one. Exit code 0 when all are as
expected. Run by tests/export.rs with the copy scripts/setup-test-deps.sh installs.
"""

import json
import sys

from jsonschema import Draft202012Validator
from jsonschema.validators import validator_for
from referencing import Registry
from referencing.jsonschema import DRAFT202012, specification_with

BASE = "urn:trackplan:exported"


def main():
    job = json.load(sys.stdin)
    schema = job["schema"]
    # The draft the schema names (Segment's are draft-07), else 2020-12 (Iglu's own meta-schema URI
    # is no draft jsonschema knows).
    validator = validator_for(schema, default=Draft202012Validator)
    validator.check_schema(schema)
    specification = specification_with(schema.get("$schema", ""), default=DRAFT202012)
    registry = Registry().with_resource(BASE, specification.create_resource(schema))
    wrong = 0
    for case in job["cases"]:
        checker = validator(
            {"$ref": BASE + case.get("ref", "#")},
            registry=registry,
            format_checker=validator.FORMAT_CHECKER,
        )
        errors = sorted(e.message for e in checker.iter_errors(case["instance"]))
        if bool(errors) == case["valid"]:
            wrong += 1
            why = "; ".join(errors) if errors else "no error"
            print(f"{case['name']}: expected {'valid' if case['valid'] else 'invalid'}, got {why}")
    print(f"checked {len(job['cases'])} cases, {wrong} unexpected")
    sys.exit(1 if wrong else 0)


main()
