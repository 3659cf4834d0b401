"""Runs the query of `trackplan export --format sql --dialect duckdb` with DuckDB over a file of
events in Mixpanel's export shape, for bench-audit-compare, and prints one JSON object: the seconds
spent loading the file into the table `events` (event VARCHAR, properties JSON) with DuckDB's own
JSON reader, the seconds spent on the query, the rows loaded and the finding rows.

Usage: python3 run-duckdb.py QUERY.sql EVENTS.ndjson

The load is DuckDB's `read_json` (newline-delimited, all cores; with `ignore_errors` a malformed
line becomes a row of NULLs, which the query passes over): the fastest way DuckDB has to get the
file into the table the query reads, where the tests' loader (tests/support/run_sql_duckdb.py)
goes through Python row by row.
"""

import json
import sys
import time

import duckdb


def main() -> None:
    query_path, events_path = sys.argv[1], sys.argv[2]
    with open(query_path, encoding="utf-8") as query_file:
        query = query_file.read()
    connection = duckdb.connect()
    started = time.perf_counter()
    path = events_path.replace("'", "''")
    connection.execute(
        "CREATE TABLE events AS SELECT event, properties FROM read_json("
        f"'{path}', format = 'newline_delimited', ignore_errors = true, "
        "columns = {'event': 'VARCHAR', 'properties': 'JSON'})"
    )
    loaded = time.perf_counter()
    rows = connection.execute(query).fetchall()
    queried = time.perf_counter()
    (events,) = connection.execute("SELECT count(*) FROM events").fetchone()
    print(
        json.dumps(
            {
                "load_seconds": loaded - started,
                "query_seconds": queried - loaded,
                "events": events,
                "findings": len(rows),
                "duckdb": duckdb.__version__,
            }
        )
    )


if __name__ == "__main__":
    main()
