"""Deterministic realistic sample landing folder (``ipwh sample``).

``generate(out_dir, scale, seed)`` writes ``<out_dir>/<source>/*.csv|*.xlsx`` for every source of
the data contract, shaped like real exports (Chinese header aliases, GBK / UTF-8 / UTF-8-BOM,
xlsx with title rows, several date and application-number styles, a small rate of bad rows), and
``<out_dir>/sample_manifest.json`` counting rows, injected bad rows and flagged rows per file.
"""

from .generator import MANIFEST_NAME, SOURCES, generate
from .plan import SCALES

__all__ = ["MANIFEST_NAME", "SCALES", "SOURCES", "generate"]
