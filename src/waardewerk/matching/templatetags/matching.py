"""The fit in words: a label per status and the reason per work value (docs/matching.md)."""

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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


@register.filter
def value_reason(value: fit_rule.ValueFit) -> str:
    """Why a work value has its status, in one sentence with the numbers it rests on."""
    if value.status == fit_rule.NOT_IMPORTANT:
        if value.importance is None:
            return _("The client has not answered how important this is.")
        return _("Not important to the client (importance %(a)s of 5).") % {"a": value.importance}
    if value.status == fit_rule.UNKNOWN:
        reason = _(
            "Important to the client (%(a)s of 5); neither the job nor the employer has a score for it."
        )
        return reason % {"a": value.importance}
    job = {
        fit_rule.MATCH: _("the job enables it (%(job)s of 5)"),
        fit_rule.PARTIAL: _("the job enables it partly (%(job)s of 5)"),
        fit_rule.GAP: _("the job hardly enables it (%(job)s of 5)"),
    }[value.status] % {"job": value.job}
    if value.source == "employer":
        job = _("%(job)s, from the employer's profile") % {"job": job}
    reason = _("Important to the client (%(a)s of 5); %(job)s.") % {"a": value.importance, "job": job}
    if value.enabled is not None and value.achieved is not None:
        reason += " " + _("Current or last work: enables it %(b)s, achieved %(c)s.") % {
            "b": value.enabled,
            "c": value.achieved,
        }
    return reason


@register.filter
def titles_of(keys, titles: dict) -> str:
    """Value keys as their titles, joined: "Using knowledge and skills, A good income"."""
    return ", ".join(str(titles.get(key, key)) for key in keys)


@register.filter
def get_title(titles: dict, key: str) -> str:
    return str(titles.get(key, key))
