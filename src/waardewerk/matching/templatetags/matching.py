"""The fit in words: a label per status and the reason per work value (docs/matching.md)."""

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from waardewerk.matching import fit as fit_rule

register = template.Library()

STATUS_LABELS = {
    fit_rule.MATCH: gettext_lazy("match"),
    fit_rule.PARTIAL: gettext_lazy("partial"),
    fit_rule.GAP: gettext_lazy("gap"),
    fit_rule.NOT_IMPORTANT: gettext_lazy("not important"),
    fit_rule.UNKNOWN: gettext_lazy("not known"),
}


@register.filter
def fit_status(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


# The texts of the reasons per language: a fit list explains seven values of 25 jobs.
_REASONS: dict[str, dict[str, str]] = {}


def _reason_texts() -> dict[str, str]:
    language = get_language()
    texts = _REASONS.get(language)
    if texts is None:
        texts = _REASONS[language] = {
            "unanswered": _("The client has not answered how important this is."),
            "not_important": _("Not important to the client (importance %(a)s of 5)."),
            "unknown": _(
                "Important to the client (%(a)s of 5); neither the job nor the employer has a score for it."
            ),
            fit_rule.MATCH: _("the job enables it (%(job)s of 5)"),
            fit_rule.PARTIAL: _("the job enables it partly (%(job)s of 5)"),
            fit_rule.GAP: _("the job hardly enables it (%(job)s of 5)"),
            "employer": _("%(job)s, from the employer's profile"),
            "important": _("Important to the client (%(a)s of 5); %(job)s."),
            "work": _("Current or last work: enables it %(b)s, achieved %(c)s."),
        }
    return texts


@register.filter
def value_reason(value: fit_rule.ValueFit) -> str:
    """Why a work value has its status, in one sentence with the numbers it rests on."""
    texts = _reason_texts()
    if value.status == fit_rule.NOT_IMPORTANT:
        if value.importance is None:
            return texts["unanswered"]
        return texts["not_important"] % {"a": value.importance}
    if value.status == fit_rule.UNKNOWN:
        return texts["unknown"] % {"a": value.importance}
    job = texts[value.status] % {"job": value.job}
    if value.source == "employer":
        job = texts["employer"] % {"job": job}
    reason = texts["important"] % {"a": value.importance, "job": job}
    if value.enabled is not None and value.achieved is not None:
        reason += " " + texts["work"] % {"b": value.enabled, "c": value.achieved}
    return reason


@register.simple_tag
def fit_value_rows(fit: fit_rule.Fit, titles: dict) -> str:
    """The rows of a fit's table per work value (the value, its status, the reason), written out as the
    loop of ``{{ titles|get_title:value.key }}``, ``{{ value.status|fit_status }}`` and
    ``{{ value|value_reason }}`` would (the fit list shows 25 such tables)."""
    return mark_safe(  # noqa: S308 - every title, label and reason escaped here
        "".join(
            '\n    <tr class="utrecht-table__row"><th class="utrecht-table__header-cell" scope="row">'
            f"{escape(get_title(titles, value.key))}</th>"
            f'<td class="utrecht-table__cell">{escape(fit_status(value.status))}</td>'
            f'<td class="utrecht-table__cell">{escape(value_reason(value))}</td></tr>\n    '
            for value in fit.values
        )
    )


@register.filter
def titles_of(keys, titles: dict) -> str:
    """Value keys as their titles, joined: "Using knowledge and skills, A good income"."""
    return ", ".join(str(titles.get(key, key)) for key in keys)


@register.filter
def get_title(titles: dict, key: str) -> str:
    return str(titles.get(key, key))
