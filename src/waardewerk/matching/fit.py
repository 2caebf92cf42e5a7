"""The value fit between a client and a job: our own rule, documented in docs/matching.md.

The client's side is their latest measurement of the instrument with ``roles.matching: work_values`` (the
scoring rule ``capability_set``): per work value the importance (A), and what their current or last work
enables (B) and what they achieve (C). The job's side is its value profile: per work value how far the job
enables it (1-5, the same scale); a value the job leaves out takes the employer's score, and the reason
says so.

- a value is **important** to the client when its importance is at least the instrument's threshold;
- for an important value the job's score gives **match** (at least ``MATCH_FROM``), **partial** (between)
  or **gap** (at most ``GAP_TO``); a value that is not important is **not_important**; an important value
  that neither the job nor its employer scored is **unknown**;
- the summary is the matched important values out of the important ones (``fit_share``), with the
  matches and the gaps named.

It is a suggestion with its explanation for a professional, never a decision: nothing is excluded, and
the list shows every job with its reasons (no automated decision or profiling, docs/matching.md).
Pure functions, no database: the pages, the command line and the property tests use the same code.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

MATCH = "match"
PARTIAL = "partial"
GAP = "gap"
NOT_IMPORTANT = "not_important"
UNKNOWN = "unknown"
STATUSES = (MATCH, PARTIAL, GAP, NOT_IMPORTANT, UNKNOWN)

SCALE = range(1, 6)  # the scores of a value profile, as the client's answers
MATCH_FROM = 4  # a job's score from which an important value is a match
GAP_TO = 2  # a job's score up to which an important value is a gap (3 is partial)
DEFAULT_THRESHOLD = 4  # the instrument's own threshold (scoring.params.threshold) is used when it has one


@dataclass(frozen=True)
class ValueFit:
    key: str
    importance: int | None  # A
    enabled: int | None  # B: what the client's current or last work enables
    achieved: int | None  # C
    job: int | None  # the job's score (its own or the employer's)
    source: str  # "job", "employer" or "" (not scored)
    status: str


@dataclass(frozen=True)
class Fit:
    values: list[ValueFit]
    important: list[str] = field(default_factory=list)
    matched: list[str] = field(default_factory=list)
    partial: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)

    @property
    def fit_share(self) -> Fraction | None:
        """Matched important values / important values; None when nothing is important."""
        if not self.important:
            return None
        return Fraction(len(self.matched), len(self.important))

    def sort_key(self) -> tuple:
        """Best first: the highest share of matches, then the fewest gaps, then the fewest unknowns; a fit
        without important values last (it says nothing). The jobs of one client's list share the number of
        important values, so the most matches is the highest share (whole numbers sort faster)."""
        if not self.important:
            return (True, 0, 0, 0)
        return (False, -len(self.matched), len(self.gaps), len(self.unknown))

    def as_dict(self) -> dict:
        """The fit as plain data: what the command line prints and a proposal keeps (no free texts)."""
        share = self.fit_share
        return {
            "values": {
                v.key: {"importance": v.importance, "job": v.job, "source": v.source, "status": v.status}
                for v in self.values
            },
            "important": list(self.important),
            "matched": list(self.matched),
            "partial": list(self.partial),
            "gaps": list(self.gaps),
            "unknown": list(self.unknown),
            "fit_share": None if share is None else round(float(share), 4),
        }


def job_scores(keys, job_profile: dict | None, employer_profile: dict | None) -> dict[str, tuple]:
    """Per value (score, source): the job's own score, else the employer's, else (None, "")."""
    job_profile = job_profile or {}
    employer_profile = employer_profile or {}
    result = {}
    for key in keys:
        if job_profile.get(key) in SCALE:
            result[key] = (job_profile[key], "job")
        elif employer_profile.get(key) in SCALE:
            result[key] = (employer_profile[key], "employer")
        else:
            result[key] = (None, "")
    return result


def merged_profile(job_profile: dict | None, employer_profile: dict | None) -> dict[str, int]:
    """The scores the fit reads for a job, per value: the job's own score, else the employer's (as
    ``job_scores``); values neither scored are left out. Kept with the job (``Job.fit_profile``) so the fit
    list ranks every open job in the database."""
    merged = {key: score for key, score in (employer_profile or {}).items() if score in SCALE}
    merged.update({key: score for key, score in (job_profile or {}).items() if score in SCALE})
    return merged


def rank_key(important: list[str], job_profile: dict | None, employer_profile: dict | None) -> tuple:
    """``Fit.sort_key()`` of ``compute`` for a client whose important values are ``important``, without
    building the fit: the fit list ranks every open job with this and builds the full fit only for the jobs
    it shows (the property tests check that both give the same key)."""
    job_profile = job_profile or {}
    employer_profile = employer_profile or {}
    matched = gaps = unknown = 0
    for key in important:
        score = job_profile.get(key)
        if score not in SCALE:
            score = employer_profile.get(key)
            if score not in SCALE:
                unknown += 1
                continue
        if score >= MATCH_FROM:
            matched += 1
        elif score <= GAP_TO:
            gaps += 1
    if not important:
        return (True, 0, 0, 0)
    return (False, -matched, gaps, unknown)


def important_values(keys, client_values: dict, threshold: int = DEFAULT_THRESHOLD) -> list[str]:
    """The values important to the client, in the instrument's order."""
    return [
        key
        for key in keys
        if (importance := (client_values.get(key) or {}).get("importance")) is not None
        and importance >= threshold
    ]


def status_for(importance: int | None, job: int | None, threshold: int = DEFAULT_THRESHOLD) -> str:
    if importance is None or importance < threshold:
        return NOT_IMPORTANT
    if job is None:
        return UNKNOWN
    if job >= MATCH_FROM:
        return MATCH
    if job <= GAP_TO:
        return GAP
    return PARTIAL


def compute(
    keys,
    client_values: dict,
    job_profile: dict | None,
    employer_profile: dict | None = None,
    *,
    threshold: int = DEFAULT_THRESHOLD,
) -> Fit:
    """The fit of one job for one client. ``client_values``: per value key a dict with ``importance`` and,
    where known, ``enabled`` and ``achieved`` (the ``values`` of a capability_set score)."""
    scores = job_scores(keys, job_profile, employer_profile)
    values, buckets = [], {MATCH: [], PARTIAL: [], GAP: [], UNKNOWN: []}
    important = []
    for key in keys:
        own = client_values.get(key) or {}
        importance = own.get("importance")
        job, source = scores[key]
        status = status_for(importance, job, threshold)
        if status != NOT_IMPORTANT:
            important.append(key)
            buckets[status].append(key)
        values.append(ValueFit(key, importance, own.get("enabled"), own.get("achieved"), job, source, status))
    return Fit(
        values,
        important=important,
        matched=buckets[MATCH],
        partial=buckets[PARTIAL],
        gaps=buckets[GAP],
        unknown=buckets[UNKNOWN],
    )
