"""Shared state of one sample run: output folder, seed, plan and the open writers."""

from __future__ import annotations

import random
from pathlib import Path

from .plan import Plan
from .writers import BadRule, FileSpec, TableWriter


class FastRandom(random.Random):
    """random.Random with cheaper choice/randint/randrange (one multiplication; bias < 1e-12)."""

    def choice(self, seq):  # type: ignore[override]
        return seq[int(self.random() * len(seq))]

    def randint(self, a: int, b: int) -> int:  # type: ignore[override]
        return a + int(self.random() * (b - a + 1))

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if stop is None:
            start, stop = 0, start
        if step != 1:
            return super().randrange(start, stop, step)
        return start + int(self.random() * (stop - start))


class Context:
    def __init__(self, out_dir: Path, plan: Plan, seed: int):
        self.out_dir = out_dir
        self.plan = plan
        self.seed = seed
        self.writers: dict[str, TableWriter] = {}

    @property
    def detailed(self) -> bool:
        return self.plan.detailed

    def rng(self, *labels: object) -> FastRandom:
        """An independent, reproducible random stream per purpose (string seeds hash with sha512)."""
        return FastRandom(":".join([str(self.seed), *map(str, labels)]))

    def open(self, spec: FileSpec, rules: list[BadRule]) -> TableWriter:
        writer = TableWriter(self.out_dir, spec, self.seed, rules, self.plan.bad_rate)
        self.writers[writer.rel_path] = writer
        return writer

    def close_all(self) -> list[dict]:
        return [w.close() for w in self.writers.values()]
