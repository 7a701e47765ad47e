"""Reusable dashboard pieces: KPI cards, charts, formatting, the period picker."""
