"""ipwh orchestration: reading the exports, Dagster assets and checks, publishing, the ipwh CLI."""
