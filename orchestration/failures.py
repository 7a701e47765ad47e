"""Why a build failed, in one line: what `ipwh build` prints last and what a failed run carries as
its tag ``ipwh/failure_reason`` (set by the CLI and by ``build_failure_reason_sensor``).

Its own module so that the CLI and the sensors both read it without importing each other.
"""

from __future__ import annotations

import re

FAILURE_REASON_TAG = "ipwh/failure_reason"
# Lines that mean "another build holds the warehouse" (exit code 3 in `ipwh build`).
LOCKED_MARKERS = ("another build is running",)

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_DBT_NODE_HEADER = re.compile(r"^(?:Failure|[A-Za-z ]*Error) in (model|test|seed|snapshot|unit_test) (\S+)")


def dbt_error_summary(message: str) -> str | None:
    """'dbt model X: Binder Error: ...' from the text of a failed dbt invocation, else None."""
    text = _ANSI.sub("", message)
    if "Errors parsed from dbt logs:" not in text:
        return None
    lines = [line.strip() for line in text.split("Errors parsed from dbt logs:", 1)[1].splitlines()]
    for i, line in enumerate(lines):
        match = _DBT_NODE_HEADER.match(line)
        if not match:
            continue
        detail = next((rest for rest in lines[i + 1:] if rest and not _DBT_NODE_HEADER.match(rest)), "")
        return f"dbt {match.group(1)} {match.group(2)}: {detail}".strip().rstrip(":")
    return None


def error_line(err) -> str:
    """The most telling line of a step's error: dbt's own error, else the root cause's last line."""
    if err is None:
        return "unknown error"
    chain = [err]
    while chain[-1].cause is not None:
        chain.append(chain[-1].cause)
    for e in chain:
        summary = dbt_error_summary(e.message or "")
        if summary:
            return summary
    for e in reversed(chain):
        lines = [line.strip() for line in (e.message or "").strip().splitlines() if line.strip()]
        if lines:
            # our own errors read as plain sentences: drop "orchestration.publish.BuildLockedError: "
            return re.sub(r"^(?:orchestration\.[\w.]+|dagster\.[\w.]*Failure): ", "", lines[-1])
    return "unknown error"


def failure_reason_from_events(events) -> str:
    """One line naming what stopped the build: a failed step's error or a failed blocking check,
    else an error raised outside any step (a resource that could not be set up)."""
    reasons: list[str] = []
    run_errors: list[str] = []
    for event in events:
        if event.event_type_value == "ASSET_CHECK_EVALUATION":
            data = event.event_specific_data
            if not data.passed:
                desc = data.description or ""
                reasons.append(f"check {data.asset_key.to_user_string()}:{data.check_name} failed {desc}".strip())
        elif event.event_type_value == "STEP_FAILURE":
            data = event.event_specific_data
            # a one-line dg.Failure description (ours: "not published: …") reads best as it is;
            # anything longer (dagster-dbt's failures carry dbt's whole log) is summarised
            user_failure = getattr(data, "user_failure_data", None)
            description = (user_failure.description or "").strip() if user_failure is not None else ""
            line = description if description and "\n" not in description else error_line(data.error)
            reasons.append(f"step {event.step_key} failed: {line}")
        elif event.event_type_value in ("RESOURCE_INIT_FAILURE", "PIPELINE_FAILURE", "ENGINE_EVENT"):  # PIPELINE_ = run
            err = getattr(event.event_specific_data, "error", None)
            if err is not None:
                run_errors.append(error_line(err))
    return "; ".join(dict.fromkeys(reasons or run_errors)) or "the run did not succeed (see the Dagster run log)"


def is_lock_failure(reason: str) -> bool:
    return any(marker in reason for marker in LOCKED_MARKERS)
