"""A column added to the source catalog (patents.abstract, 摘要) joins the raw table of a warehouse built
before it, so that the next build can load files that carry it."""

from __future__ import annotations

import duckdb

from orchestration.sources.ingest import ensure_tables


def test_a_new_catalog_column_is_added_to_an_existing_raw_table(tmp_path):
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    ensure_tables(con)
    con.execute("ALTER TABLE raw.patents DROP COLUMN abstract")  # as a warehouse built before the column
    con.execute("INSERT INTO raw.patents (application_no, title) VALUES ('201410000001.6', '一种烯烃制备方法')")
    ensure_tables(con)
    columns = [r[0] for r in con.execute(
        "SELECT column_name FROM duckdb_columns() WHERE schema_name = 'raw' AND table_name = 'patents'").fetchall()]
    assert "abstract" in columns
    assert con.execute("SELECT title, abstract FROM raw.patents").fetchall() == [("一种烯烃制备方法", None)]
