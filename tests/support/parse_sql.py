"""Parses SQL files with sqlglot in one dialect, raising on the first error, and checks that each
is one query; exits non-zero with the error otherwise.

Usage: python3 parse_sql.py DIALECT FILE.sql...
"""

import sys

import sqlglot
from sqlglot import exp
from sqlglot.errors import ErrorLevel


def main() -> None:
    dialect, paths = sys.argv[1], sys.argv[2:]
    for path in paths:
        with open(path, encoding="utf-8") as f:
            sql = f.read()
        statements = [s for s in sqlglot.parse(sql, read=dialect, error_level=ErrorLevel.RAISE) if s is not None]
        if len(statements) != 1 or not isinstance(statements[0], exp.Query):
            sys.exit(f"{path}: expected one query, parsed {[type(s).__name__ for s in statements]}")
    print(f"sqlglot {sqlglot.__version__}: {len(paths)} {dialect} queries parsed")


if __name__ == "__main__":
    main()
