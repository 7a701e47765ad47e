"""`ipwh build` that pauses just before the publishing rename, so a test can kill it there.

    python tests/integration/pausing_build.py MARKER SECONDS [build options…]

Writes MARKER when it reaches that point (after the old file became ipwh.previous.duckdb), then
sleeps SECONDS before renaming. The pause lives here, in the tests, not in the product code.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from orchestration import cli, publish  # noqa: E402


def main() -> int:
    marker, seconds, *build_args = sys.argv[1:]
    rename = publish._replace_published

    def paused(work_file: Path, published: Path) -> None:
        Path(marker).write_text("publish")
        time.sleep(float(seconds))
        rename(work_file, published)

    publish._replace_published = paused
    return cli.main(["build", *build_args])


if __name__ == "__main__":
    sys.exit(main())
