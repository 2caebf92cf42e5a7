"""The fit in words: a label per status and the reason per work value (docs/matching.md)."""

import html

from django import template
from django.utils.functional import Promise
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
            f"{html.escape(get_title(titles, value.key))}</th>"
            f'<td class="utrecht-table__cell">{html.escape(fit_status(value.status))}</td>'
            f'<td class="utrecht-table__cell">{html.escape(value_reason(value))}</td></tr>\n    '
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


def _html(value) -> str:
    """As the template engine writes a value: lazy texts made plain, safe texts as they are, the rest
    escaped (``conditional_escape``, without its lazy wrapper)."""
    if isinstance(value, Promise):
        value = str(value)
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


@register.simple_tag
def decision_fields(form, decisions, reason_max: int) -> str:
    """The fields of a ``DecisionForm`` written out: the fit list shows 25 of them, and Django's widget
    templates (or a template per form) cost several milliseconds per form. The same names, ids, attributes
    and messages as ``core/_choices_field.html`` and ``core/_field.html`` with the form's widgets (tested in
    ``matching/tests/test_fit_ranking.py``)."""
    version, decision, reason = form["base_version"], form["decision"], form["reason"]
    d_id, r_id = _html(decision.auto_id), _html(reason.auto_id)
    d_errors, r_errors = list(decision.errors), list(reason.errors)
    value = "" if version.value() is None else _html(version.value())
    d_invalid = " utrecht-form-field--invalid" if d_errors else ""
    out = [
        f'\n<input type="hidden" name="{_html(version.html_name)}" value="{value}"'
        f' id="{_html(version.auto_id)}">\n'
        f'<fieldset class="utrecht-form-fieldset ww-choices{d_invalid}"'
        f' id="{d_id}"{f' aria-describedby="{d_id}-error"' if d_errors else ""}>\n'
        '  <legend class="utrecht-form-fieldset__legend ww-choices__legend">'
        f"{_html(decision.label)}</legend>\n  "
    ]
    if d_errors:
        out.append(
            f'<div class="utrecht-form-field-error-message" id="{d_id}-error">'
            + "".join(f'<p class="ww-error">{_html(error)}</p>' for error in d_errors)
            + "</div>"
        )
    out.append('\n  <div class="ww-choices__options">\n  ')
    chosen, name = decision.value(), _html(decision.html_name)
    invalid = f' aria-invalid="true" aria-describedby="{d_id}-error"' if d_errors else ""
    for n, (choice, label) in enumerate(decisions):
        out.append(
            f'\n    <label class="ww-choices__option" for="{d_id}_{n}"><input type="radio" name="{name}"'
            f' value="{_html(choice)}" aria-required="true"'
            f' class="utrecht-radio-button utrecht-radio-button--html-input"{invalid} id="{d_id}_{n}"'
            f"{' checked' if chosen == choice else ''}> {_html(label)}</label>\n  "
        )
    out.append(
        "\n  </div>\n</fieldset>\n"
        f'<div class="utrecht-form-field{" utrecht-form-field--invalid" if r_errors else ""}">\n'
        f'  <p class="utrecht-form-field__label"><label class="utrecht-form-label" for="{r_id}">'
        f"{_html(reason.label)}</label></p>\n"
        f'  <div class="utrecht-form-field__description utrecht-form-field-description" id="{r_id}-help">'
        f"{_html(reason.help_text)}</div>\n  "
    )
    if r_errors:
        out.append(
            '<div class="utrecht-form-field__error-message utrecht-form-field-error-message"'
            f' id="{r_id}-error">'
            + "".join(f'<p class="ww-error">{_html(error)}</p>' for error in r_errors)
            + "</div>"
        )
    text = reason.value()
    out.append(
        f'\n  <div class="utrecht-form-field__input"><textarea name="{_html(reason.html_name)}" cols="40"'
        f' rows="2" maxlength="{_html(reason_max)}" aria-required="true"'
        ' class="utrecht-textarea utrecht-textarea--html-textarea"'
        f' aria-describedby="{r_id}-help{f" {r_id}-error" if r_errors else ""}"'
        f'{' aria-invalid="true"' if r_errors else ""} id="{r_id}">\n'
        f"{'' if text is None else _html(text)}</textarea></div>\n</div>\n\n"
    )
    return mark_safe("".join(out))  # noqa: S308 - every value escaped by _html
