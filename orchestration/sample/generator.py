"""Write a realistic landing folder (``<out>/<source>/*.csv|*.xlsx``) and its manifest."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from . import overseas, patents, rosters, trademarks
from .context import Context
from .entities import Population
from .plan import CITY_FIRMS, Plan, build_plan

SOURCES = ("patents", "trademarks", "overseas_filings", "hightech", "srdi", "ip_advantage", "enterprises",
           "population", "pledges", "awards")
MANIFEST_NAME = "sample_manifest.json"
RULE_TEXT = {
    "application_no_check_digit": "application number whose check character does not match its digits",
    "invalid_date": "date-shaped text naming no real day (February 30th or month 13)",
    "missing_key": "key column left empty",
    "unknown_value": "value outside the column's vocabulary",
}
FLAG_TEXT = {
    "uscc_check_digit": "credit code failing its check character (early pilot code; legal, to be flagged)",
    "lapsed_without_date": "granted patent whose status says lapsed (失效/无权…) but whose lapse date is missing "
                           "(or the file has no lapse-date column)",
    "ended_without_date": "trademark whose status says ended (失效/注销/撤销…) but whose cancellation date is missing "
                          "(or the file has no cancellation-date column)",
}


def generate(out_dir: Path, scale: str = "city", seed: int = 20240305) -> dict[str, Any]:
    """Generate the sample landing folder for a scale; same seed, same bytes. Returns the manifest."""
    plan = build_plan(scale)
    return run(Path(out_dir), plan, seed)


def _remove_previous(out_dir: Path) -> None:
    """Delete the files a previous sample run listed in its manifest (and nothing else)."""
    manifest = out_dir / MANIFEST_NAME
    if not manifest.exists():
        return
    try:
        previous = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return
    for source in previous.get("sources", {}).values():
        for entry in source.get("files", []):
            path = out_dir / entry.get("path", "")
            if path.is_file() and out_dir in path.resolve().parents:
                path.unlink()
    manifest.unlink()


def run(out_dir: Path, plan: Plan, seed: int) -> dict[str, Any]:
    out_dir = out_dir.resolve()
    out_dir.mkdir(parents=True, exist_ok=True)
    _remove_previous(out_dir)
    ctx = Context(out_dir, plan, seed)
    for source in SOURCES:
        (out_dir / source).mkdir(exist_ok=True)

    patent_w = [ctx.open(s, patents.PATENT_RULES) for s in patents.patent_specs(ctx)]
    mark_w = [ctx.open(s, trademarks.TRADEMARK_RULES) for s in trademarks.trademark_specs(ctx)]
    pledge_w = [ctx.open(s, patents.PLEDGE_RULES) for s in patents.pledge_specs(ctx)]
    award_w = ctx.open(patents.award_specs(ctx)[0], patents.AWARD_RULES)
    ent_w = [(ctx.open(s, rosters.ENTERPRISE_RULES), y) for s, y in rosters.enterprise_specs(ctx)]
    ht_w = [(ctx.open(s, rosters.HIGHTECH_RULES), y) for s, y in rosters.hightech_specs(ctx)]
    srdi_w = [(ctx.open(s, rosters.SRDI_RULES), y) for s, y in rosters.srdi_specs(ctx)]
    ipa_w = [(ctx.open(s, rosters.IPA_RULES), y) for s, y in rosters.ipa_specs(ctx)]
    pop_w = [(ctx.open(s, rosters.POPULATION_RULES), y) for s, y in rosters.population_specs(ctx)]
    ovs_w = [(ctx.open(s, overseas.OVERSEAS_RULES), y) for s, y in overseas.overseas_specs(ctx)]

    shares = patents.area_shares(ctx)
    for index, area in enumerate(plan.areas):
        share, offset = shares[index]
        pop = Population(area, ctx.rng("entities", area.code), max(60, round(plan.n_firms * share)),
                         max(60, round(plan.n_persons * share)))
        state = rosters.simulate(pop, ctx.rng("rosters", area.code), len(pop.firms) / CITY_FIRMS)
        rosters.write_enterprises(ctx, ent_w, pop)
        rosters.write_hightech(ht_w, state)
        rosters.write_srdi(srdi_w, state)
        rosters.write_ipa(ipa_w, state)
        rosters.write_population(ctx, pop_w, area)
        generator = patents.PatentGenerator(ctx, pop, index, share, offset)
        generator.run(patent_w)
        generator.pledges(pledge_w)
        generator.awards(award_w)
        overseas.write_overseas(ctx, ovs_w, pop, index, share)
        trademarks.TrademarkGenerator(ctx, pop, index, share, offset).run(mark_w)
        del pop, state, generator

    files = ctx.close_all()
    manifest = build_manifest(plan, seed, files)
    (out_dir / MANIFEST_NAME).write_text(json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True) + "\n",
                                        encoding="utf-8")
    return manifest


def build_manifest(plan: Plan, seed: int, files: list[dict[str, Any]]) -> dict[str, Any]:
    sources: dict[str, Any] = {}
    for source in SOURCES:
        entries = sorted((f for f in files if f["path"].split("/", 1)[0] == source), key=lambda f: f["path"])
        bad: dict[str, int] = {}
        flags: dict[str, int] = {}
        for e in entries:
            for rule, n in e["bad_rows"].items():
                bad[rule] = bad.get(rule, 0) + n
            for flag, n in e["flags"].items():
                flags[flag] = flags.get(flag, 0) + n
        sources[source] = {
            "files": entries,
            "rows": sum(e["rows"] for e in entries),
            "bad_rows": dict(sorted(bad.items())),
            "bad_rows_total": sum(bad.values()),
            "flags": dict(sorted(flags.items())),
        }
    return {
        "generator": "orchestration.sample",
        "manifest_version": 1,
        "scale": plan.scale,
        "seed": seed,
        "bad_rate": plan.bad_rate,
        "rules": RULE_TEXT,
        "flags": FLAG_TEXT,
        "note": ("rows = data rows written (after the header); a bad row breaks exactly one rule in one column; "
                 "row numbers in bad_row_details count data rows from 1; flags count rows that should load "
                 "with a warning"),
        "sources": sources,
        "rows_total": sum(s["rows"] for s in sources.values()),
        "bad_rows_total": sum(s["bad_rows_total"] for s in sources.values()),
    }
