"""Runs queries of `trackplan export --format sql --dialect spark` with Apache Spark in local mode,
each over its own events in Mixpanel's export shape (one JSON object a line, with `event` and
`properties`), loaded into a view `events` (event STRING, properties STRING holding the JSON), and
writes each query's findings as JSON lines. One Spark session runs them all: starting one costs
seconds.

Usage: python3 run_sql_spark.py QUERY.sql EVENTS.ndjson FINDINGS.ndjson [QUERY EVENTS FINDINGS]...
"""

import json
import sys

from pyspark.sql import SparkSession


def main() -> None:
    args = sys.argv[1:]
    if not args or len(args) % 3:
        sys.exit(__doc__)
    spark = (
        SparkSession.builder.master("local[2]")
        .appName("trackplan-export-sql-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.driver.memory", "2g")
        # The query's expressions are large: Spark's whole-stage generated code outgrows the JVM's
        # method size and falls back to plain evaluation anyway, after seconds of compiling.
        .config("spark.sql.codegen.wholeStage", "false")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    for i in range(0, len(args), 3):
        query_path, events_path, findings_path = args[i : i + 3]
        rows = []
        with open(events_path, encoding="utf-8") as events:
            for line in events:
                record = json.loads(line)
                rows.append((record.get("event"), json.dumps(record.get("properties"))))
        spark.createDataFrame(rows, "event STRING, properties STRING").createOrReplaceTempView("events")
        with open(query_path, encoding="utf-8") as query:
            result = spark.sql(query.read().rstrip().rstrip(";")).collect()
        with open(findings_path, "w", encoding="utf-8") as findings:
            for row in result:
                findings.write(json.dumps(row.asDict()) + "\n")
    spark.stop()


if __name__ == "__main__":
    main()
