"""Reports from the published warehouse: the monthly 通报 (content.py words it, briefing.py writes it)."""
