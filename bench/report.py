"""Turning latencies into figures, ratios and target verdicts; writing the JSON and the markdown table."""

from __future__ import annotations

import json
import statistics
import tomllib
from pathlib import Path

from bench.pages import PAGES

NOTES_FILE = Path(__file__).with_name("notes.toml")


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (0-100) by linear interpolation between the closest ranks."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def summarise(raw: dict) -> dict:
    """Figures of one page at one scale from the load driver's output."""
    latencies = raw["latencies_ms"]
    measured = len(latencies)
    return {
        "requests": measured,
        "errors": raw["errors"],
        "statuses": raw["statuses"],
        "seconds": round(raw["elapsed_s"], 2),
        "rps": round(measured / raw["elapsed_s"], 1) if raw["elapsed_s"] and measured else None,
        "p50_ms": _round(percentile(latencies, 50)),
        "p95_ms": _round(percentile(latencies, 95)),
        "p99_ms": _round(percentile(latencies, 99)),
        "mean_ms": _round(statistics.fmean(latencies)) if latencies else None,
        "max_ms": _round(max(latencies)) if latencies else None,
        "bytes": raw["bytes"],
        "server_cpu_ms": raw.get("server_cpu_ms"),
    } | ({"worker_boot_s": raw["worker_boot_s"]} if raw.get("worker_boot_s") is not None else {})


def _round(value):
    return None if value is None else round(value, 2)


def load_notes(path: Path = NOTES_FILE) -> dict:
    if not path.exists():
        return {}
    with path.open("rb") as handle:
        return tomllib.load(handle)


def build(
    *, meta: dict, scales: list[int], measured: dict, unavailable: dict, notes: dict | None = None
) -> dict:
    """The result document.

    ``measured[scale][page_key]`` is a summary (``summarise``); ``unavailable[page_key]`` says why a page
    was not measured. Ratios: growth = p50 at the largest scale / p50 at the smallest; overhead = p50 of
    the page / p50 of the minimal page at the same scale.
    """
    notes = load_notes() if notes is None else notes
    small, large = min(scales), max(scales)
    minimal = next(page.key for page in PAGES if page.minimal)
    pages, verdicts = [], []
    for page in PAGES:
        entry = {"key": page.key, "title": page.title, "results": {}, "overhead_ratio": {}, "cpu_ratio": {}}
        if page.key in unavailable:
            entry["status"] = "not available"
            entry["reason"] = unavailable[page.key]
        else:
            entry["status"] = "measured"
            for scale in scales:
                figures = measured.get(scale, {}).get(page.key)
                if figures is None:
                    continue
                entry["results"][str(scale)] = figures
                reference = measured.get(scale, {}).get(minimal, {}).get("p50_ms")
                if figures["p50_ms"] and reference:
                    entry["overhead_ratio"][str(scale)] = round(figures["p50_ms"] / reference, 2)
                # The same in the worker's CPU time: hardly moved by what else the machine runs.
                cpu = figures.get("server_cpu_ms")
                cpu_reference = measured.get(scale, {}).get(minimal, {}).get("server_cpu_ms")
                if cpu and cpu_reference:
                    entry["cpu_ratio"][str(scale)] = round(cpu / cpu_reference, 2)
            first = entry["results"].get(str(small), {}).get("p50_ms")
            last = entry["results"].get(str(large), {}).get("p50_ms")
            entry["growth_ratio"] = round(last / first, 2) if first and last and small != large else None
        pages.append(entry)
        verdicts.extend(_verdicts(page, entry, large, notes.get(page.key, {})))
    return {**meta, "scales": scales, "pages": pages, "targets": verdicts}


def _verdicts(page, entry: dict, large: int, notes: dict) -> list[dict]:
    """One verdict per target of the page: met, MISSED (with the note from notes.toml), not measured
    or not available. Latencies and the overhead ratio count at the largest scale; errors there miss."""
    target = page.target
    checks = [
        ("p50", target.p50_ms, f"p50 <= {target.p50_ms:g} ms at {large:,} clients" if target.p50_ms else ""),
        ("p95", target.p95_ms, f"p95 <= {target.p95_ms:g} ms at {large:,} clients" if target.p95_ms else ""),
        (
            "ratio",
            target.ratio,
            f"overhead ratio <= {target.ratio:g} at {large:,} clients" if target.ratio else "",
        ),
        ("growth", target.growth, f"growth ratio <= {target.growth:g}" if target.growth else ""),
    ]
    found = []
    for kind, limit, text in checks:
        if limit is None:
            continue
        verdict = {"page": page.key, "target": text}
        if entry["status"] != "measured":
            verdict.update(value=None, met=None, verdict="not available")
            found.append(verdict)
            continue
        figures = entry["results"].get(str(large), {})
        value = {
            "p50": figures.get("p50_ms"),
            "p95": figures.get("p95_ms"),
            "ratio": entry["overhead_ratio"].get(str(large)),
            "growth": entry.get("growth_ratio"),
        }[kind]
        if value is None:
            verdict.update(value=None, met=None, verdict="not measured")
        else:
            met = value <= limit and not figures.get("errors", 0)
            verdict.update(value=value, met=met, verdict="met" if met else "MISSED")
            if not met:
                verdict["note"] = notes.get(kind, "No note yet: investigate and add one in bench/notes.toml.")
        found.append(verdict)
    return found


def _cell(value, suffix: str = "") -> str:
    return "–" if value is None else f"{value:g}{suffix}" if isinstance(value, float) else f"{value}{suffix}"


def markdown(doc: dict) -> str:
    scales = doc["scales"]
    lines = [
        f"# Benchmark results ({doc.get('mode', '')} mode, {doc.get('finished_at', '')})",
        "",
        f"{doc.get('server', '')}; database: {doc.get('database', '')}; load: {doc.get('load', '')}.",
        f"Commit {doc.get('commit', '?')}. Times in milliseconds. Overhead ratio = p50 / p50 of the minimal "
        "page at the same scale; growth ratio = p50 at the largest scale / p50 at the smallest; worker CPU = "
        "CPU time of the gunicorn worker per request (the database's own work not included); CPU ratio = "
        "worker CPU / that of the minimal page (little affected by other work on the machine).",
        "",
        "| page | clients | req/s | p50 | p95 | p99 | errors | overhead ratio | growth ratio | worker CPU "
        "| CPU ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for page in doc["pages"]:
        if page["status"] != "measured":
            lines.append(f"| {page['title']} | – | not available: {page['reason']} | | | | | | | | |")
            continue
        for scale in scales:
            figures = page["results"].get(str(scale))
            if figures is None:
                continue
            growth = _cell(page.get("growth_ratio")) if scale == max(scales) else ""
            lines.append(
                f"| {page['title']} | {scale:,} | {_cell(figures['rps'])} | {_cell(figures['p50_ms'])} | "
                f"{_cell(figures['p95_ms'])} | {_cell(figures['p99_ms'])} | {figures['errors']} | "
                f"{_cell(page['overhead_ratio'].get(str(scale)))} | {growth} | "
                f"{_cell(figures.get('server_cpu_ms'))} | {_cell(page['cpu_ratio'].get(str(scale)))} |"
            )
    boots = [
        f"{page['title']} at {int(scale):,} clients: the worker took {figures['worker_boot_s']} s to start"
        for page in doc["pages"]
        for scale, figures in page["results"].items()
        if figures.get("worker_boot_s") is not None
    ]
    if boots:
        lines += [
            "",
            "First requests of fresh workers (not counted in their latency): " + "; ".join(boots) + ".",
        ]
    missed = [v for v in doc["targets"] if v["met"] is False]
    summary = f"**{len(missed)} target(s) MISSED.**" if missed else "**Targets: all met.**"
    lines += [
        "",
        "## Targets",
        "",
        summary,
        "",
        "| page | target | value | verdict | note |",
        "|---|---|---:|---|---|",
    ]
    for verdict in doc["targets"]:
        note = verdict.get("note", "").replace("\n", " ").strip()
        lines.append(
            f"| {verdict['page']} | {verdict['target']} | {_cell(verdict['value'])} | {verdict['verdict']} | "
            f"{note} |"
        )
    generation = doc.get("generation") or {}
    if generation:
        lines += ["", "## Databases", ""]
        for scale, info in generation.items():
            seconds = f" in {info['seconds']} s" if info.get("seconds") is not None else ""
            how = (
                f"reused (generated {info.get('at', '?')}{seconds})"
                if info.get("cached")
                else f"generated{seconds}"
            )
            who = info.get("professional", {})
            lines.append(
                f"- {int(scale):,} clients: {how}, seed {info.get('seed')}, generator version "
                f"{info.get('generator')}; logged in as {who.get('username')} with "
                f"{who.get('open_caseload')} open trajectories"
            )
    return "\n".join(lines) + "\n"


def write(doc: dict, directory: Path, name: str) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    json_path = directory / f"{name}.json"
    md_path = directory / f"{name}.md"
    json_path.write_text(json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    md_path.write_text(markdown(doc))
    return json_path, md_path
