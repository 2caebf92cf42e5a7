"""Scoring rules. A definition names its rule and parameters; the rule turns complete answers into a
score (a JSON-able dict). Rules are pure functions of (parameters, answers, scales) and are tested with
worked examples and property-based tests. See docs/instruments.md for each rule in words."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CAPABILITY = "capability"
NOT_ENABLED = "not_enabled"
NOT_ACHIEVED = "not_achieved"
NOT_VALUED = "not_valued"
LWC_PARTS = ("importance", "enabled", "achieved")


class ScoringError(ValueError):
    """Answers that a rule cannot score (missing items); ``items`` names them."""

    def __init__(self, items: list[str]):
        self.items = items
        super().__init__("missing answers: " + ", ".join(items))


def _round2(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def _require(answers: dict, item_ids) -> None:
    missing = [item_id for item_id in item_ids if answers.get(item_id) is None]
    if missing:
        raise ScoringError(missing)


# capability_set ---------------------------------------------------------------------------------------


def _capability_check(params: dict, items: dict, scales: dict) -> list[str]:
    problems = []
    values = params.get("values")
    if not isinstance(values, list) or not values or not all(isinstance(v, str) for v in values):
        return ["capability_set needs 'values': a list of value keys"]
    threshold = params.get("threshold", 4)
    if isinstance(threshold, bool) or not isinstance(threshold, int):
        problems.append("'threshold' must be a whole number")
    for value in values:
        for part in LWC_PARTS:
            if f"{value}.{part}" not in items:
                problems.append(f"item '{value}.{part}' is missing for value '{value}'")
    overall = params.get("overall_item", "overall")
    if overall and overall not in items:
        problems.append(f"overall item '{overall}' is not defined")
    return problems


def capability_set(params: dict, answers: dict) -> dict:
    """Per work value: in the capability set when importance (A), enablement (B) and achievement (C)
    all reach the threshold. Discrepancies (valued but not enabled, or not achieved) come first."""
    threshold = params.get("threshold", 4)
    keys = params["values"]
    _require(answers, [f"{key}.{part}" for key in keys for part in LWC_PARTS])
    values = {}
    for key in keys:
        a, b, c = (answers[f"{key}.{part}"] for part in LWC_PARTS)
        if a < threshold:
            status = NOT_VALUED
        elif b < threshold:
            status = NOT_ENABLED
        elif c < threshold:
            status = NOT_ACHIEVED
        else:
            status = CAPABILITY
        values[key] = {"importance": a, "enabled": b, "achieved": c, "status": status}
    in_set = [key for key in keys if values[key]["status"] == CAPABILITY]
    discrepancies = [k for k in keys if values[k]["status"] == NOT_ENABLED] + [
        k for k in keys if values[k]["status"] == NOT_ACHIEVED
    ]
    overall_item = params.get("overall_item", "overall")
    return {
        "rule": "capability_set",
        "threshold": threshold,
        "values": values,
        "capability_set": in_set,
        "capability_set_size": len(in_set),
        "discrepancies": discrepancies,
        "overall": answers.get(overall_item) if overall_item else None,
    }


# profile ----------------------------------------------------------------------------------------------


def _profile_check(params: dict, items: dict, scales: dict) -> list[str]:
    problems = []
    dimensions = params.get("dimensions", list(items))
    if not isinstance(dimensions, list) or not dimensions:
        return ["profile needs 'dimensions': a list of item ids"]
    problems += [f"dimension '{d}' is not an item" for d in dimensions if d not in items]
    groups = params.get("groups") or {}
    if not isinstance(groups, dict):
        return [*problems, "'groups' must map a group key to a list of item ids"]
    for group, members in groups.items():
        if not isinstance(members, list) or not members:
            problems.append(f"group '{group}' needs a list of item ids")
            continue
        problems += [f"group '{group}': '{m}' is not a dimension" for m in members if m not in dimensions]
    return problems


def profile(params: dict, answers: dict) -> dict:
    dimensions = params.get("dimensions") or list(answers)
    _require(answers, dimensions)
    scores = {d: answers[d] for d in dimensions}
    groups = {
        group: _round2(sum(scores[m] for m in members) / len(members))
        for group, members in (params.get("groups") or {}).items()
    }
    return {"rule": "profile", "scores": scores, "groups": groups}


# level ------------------------------------------------------------------------------------------------


def _level_check(params: dict, items: dict, scales: dict) -> list[str]:
    item = params.get("item")
    if item not in items:
        return [f"level needs 'item': an item id (got {item!r})"]
    if scales.get(items[item]["scale"], {}).get("type") != "ordinal":
        return [f"the level item '{item}' needs an ordinal scale"]
    return []


def level(params: dict, answers: dict) -> dict:
    _require(answers, [params["item"]])
    return {"rule": "level", "level": answers[params["item"]]}


# sum and mean -----------------------------------------------------------------------------------------


def _items_check(params: dict, items: dict, scales: dict) -> list[str]:
    chosen = params.get("items", list(items))
    reverse = params.get("reverse", [])
    if not isinstance(chosen, list) or not chosen:
        return ["'items' must be a list of item ids"]
    if not isinstance(reverse, list):
        return ["'reverse' must be a list of item ids"]
    problems = [f"'{i}' is not an item" for i in chosen if i not in items]
    problems += [f"reverse item '{i}' is not among the scored items" for i in reverse if i not in chosen]
    return problems


def _scored_values(params: dict, answers: dict, scales_by_item: dict) -> list[float]:
    chosen = params.get("items") or sorted(answers)
    _require(answers, chosen)
    reverse = set(params.get("reverse", []))
    out = []
    for item_id in chosen:
        value = answers[item_id]
        if item_id in reverse:
            scale = scales_by_item[item_id]
            value = scale["max"] + scale["min"] - value
        out.append(value)
    return out


def total(params: dict, answers: dict, scales_by_item: dict) -> dict:
    values = _scored_values(params, answers, scales_by_item)
    return {"rule": "sum", "total": sum(values), "answered": len(values)}


def mean(params: dict, answers: dict, scales_by_item: dict) -> dict:
    values = _scored_values(params, answers, scales_by_item)
    return {"rule": "mean", "mean": _round2(sum(values) / len(values)), "answered": len(values)}


@dataclass(frozen=True)
class Rule:
    check: Callable[[dict, dict, dict], list[str]]
    score: Callable[..., dict]
    needs_scales: bool = False


RULES: dict[str, Rule] = {
    "capability_set": Rule(_capability_check, capability_set),
    "profile": Rule(_profile_check, profile),
    "level": Rule(_level_check, level),
    "sum": Rule(_items_check, total, needs_scales=True),
    "mean": Rule(_items_check, mean, needs_scales=True),
}


def score(definition: dict, answers: dict) -> dict:
    """Score complete answers with the definition's rule (raises ScoringError for missing items)."""
    rule = RULES[definition["scoring"]["rule"]]
    params = definition["scoring"]["params"]
    if "items" not in params and definition["scoring"]["rule"] in ("sum", "mean"):
        params = {**params, "items": [item["id"] for item in definition["items"]]}
    if rule.needs_scales:
        scales = {item["id"]: definition["scales"][item["scale"]] for item in definition["items"]}
        return rule.score(params, answers, scales)
    return rule.score(params, answers)
