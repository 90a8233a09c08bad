"""The compliance audit (issue 13): one Ibis rule set over hold and complaint records, run on DuckDB,
PostgreSQL, SQLite or Spark. See docs/audit.md. Nothing outside this package imports it eagerly: the web
app and the other commands never load Ibis, DuckDB or PySpark."""
