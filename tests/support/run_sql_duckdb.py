"""Runs the query of `trackplan export --format sql --dialect duckdb` with DuckDB over events in
Mixpanel's export shape (one JSON object a line, with `event` and `properties`), loaded into a
table `events` (event VARCHAR, properties JSON), and prints the findings as JSON lines.

Usage: python3 run_sql_duckdb.py QUERY.sql EVENTS.ndjson
"""

import json
import sys

import duckdb


def main() -> None:
    query_path, events_path = sys.argv[1], sys.argv[2]
    connection = duckdb.connect()
    connection.execute("CREATE TABLE events (event VARCHAR, properties JSON)")
    rows = []
    with open(events_path, encoding="utf-8") as events:
        for line in events:
            record = json.loads(line)
            rows.append((record.get("event"), json.dumps(record.get("properties"))))
    connection.executemany("INSERT INTO events VALUES (?, ?)", rows)
    with open(query_path, encoding="utf-8") as query:
        result = connection.execute(query.read())
    columns = [d[0] for d in result.description]
    for row in result.fetchall():
        print(json.dumps(dict(zip(columns, row))))


if __name__ == "__main__":
    main()
