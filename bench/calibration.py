"""The calibration figure recorded beside every timing: the seconds a pure-Python loop of 20M
additions takes, median of 3 (the targets are set for a machine where it takes 1.4 s).

    .venv/bin/python bench/calibration.py
"""

from __future__ import annotations

import statistics
import time


def loop_seconds(n: int = 20_000_000) -> float:
    began = time.perf_counter()
    total = 0
    for i in range(n):
        total += i
    return time.perf_counter() - began


def calibration_seconds(runs: int = 3) -> float:
    return statistics.median(loop_seconds() for _ in range(runs))


if __name__ == "__main__":
    print(f"{calibration_seconds():.2f}")
