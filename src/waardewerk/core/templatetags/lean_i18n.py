"""Django's ``translate`` and ``blocktranslate`` tags, cheaper where a page shows many of them.

``{% load i18n lean_i18n %}`` replaces the two tags of ``i18n`` in that template (a later ``load`` wins) with
nodes that give the same output for less work: ``makemessages`` finds the texts as before (it reads the tag
names), and whatever these nodes do not handle they leave to Django's own.

- ``translate`` of a constant text (no variable, filter, ``as`` or ``context``): its output depends only on
  the active language and autoescaping, so it is rendered by Django's node once per node and language, then
  reused (a page with tens of list items says "done" or "late" in every one).
- ``blocktranslate`` without ``context`` or ``as``: the message (and its plural) is made from the tag's
  tokens once, not on every render; its translation is looked up once per language (the plural per count);
  the values are resolved without pushing a context scope, and a plain string is escaped directly. Django's
  node makes the message, translates it, pushes and pops a scope and looks every value up again on every
  render: about twice the function calls for a title line of the timeline (docs/performance.md).

And a filter for a choice's label: ``{{ action|display:"owner" }}`` is ``{{ action.get_owner_display }}``
with the labels kept per model, field and language (Django's method rebuilds the field's choices as a dict
on every call, about 70 function calls; a trajectory section shows ten or more).
"""

import html
from decimal import Decimal

from django import template
from django.template.base import render_value_in_context
from django.templatetags import i18n
from django.utils.encoding import force_str
from django.utils.translation import get_language, gettext, ngettext

register = template.Library()


class TranslateNode(i18n.TranslateNode):
    def __init__(self, filter_expression, noop, asvar=None, message_context=None):
        super().__init__(filter_expression, noop, asvar, message_context)
        var = self.filter_expression.var
        self.constant = (
            asvar is None
            and message_context is None
            and not self.filter_expression.filters
            and getattr(var, "literal", None) is not None
            and getattr(var, "lookups", True) is None
        )
        self.rendered: dict = {}

    def render(self, context):
        if not self.constant:
            return super().render(context)
        key = (get_language(), context.autoescape)
        output = self.rendered.get(key)
        if output is None:
            output = self.rendered[key] = super().render(context)
        return output


class BlockTranslateNode(i18n.BlockTranslateNode):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.lean = self.message_context is None and self.asvar is None
        if self.lean:
            self.message, names = self.render_token_list(self.singular)
            self.plural_message = None
            known = set(self.extra_context)
            if self.plural and self.countervar and self.counter:
                self.plural_message, plural_names = self.render_token_list(self.plural)
                names = names + plural_names
                known.add(self.countervar)
            elif self.plural:
                self.lean = False
            self.lean = self.lean and set(names) <= known
        self.translated: dict = {}

    def render(self, context, nested=False):
        if not self.lean or nested:
            return super().render(context, nested)
        autoescape = context.autoescape
        data = {}
        for name, expression in self.extra_context.items():
            value = expression.resolve(context)
            if type(value) is str:  # a plain string (not safe, not lazy): escaped as ``conditional_escape``
                data[name] = html.escape(value) if autoescape else value
            else:
                data[name] = render_value_in_context(value, context)
        if self.plural_message is None:
            language = get_language()
            result = self.translated.get(language)
            if result is None:
                result = self.translated[language] = gettext(self.message)
        else:
            count = self.counter.resolve(context)
            if not isinstance(count, Decimal | float | int):
                return super().render(context, nested)
            data[self.countervar] = render_value_in_context(count, context)
            result = ngettext(self.message, self.plural_message, count)
        try:
            return result % data
        except (KeyError, ValueError):
            return super().render(context, nested)  # a malformed translation: as Django handles it


@register.tag("translate")
@register.tag("trans")
def do_translate(parser, token):
    node = i18n.do_translate(parser, token)
    return TranslateNode(node.filter_expression, node.noop, node.asvar, node.message_context)


@register.tag("blocktranslate")
@register.tag("blocktrans")
def do_block_translate(parser, token):
    node = i18n.do_block_translate(parser, token)
    return BlockTranslateNode(
        node.extra_context,
        node.singular,
        node.plural,
        node.countervar,
        node.counter,
        node.message_context,
        trimmed=node.trimmed,
        asvar=node.asvar,
        tag_name=node.tag_name,
    )


# The labels of a model field's choices per language, as plain strings: (model, field, language) -> labels.
_LABELS: dict[tuple, dict] = {}


@register.filter
def display(obj, field: str):
    """The label of ``obj``'s choice in ``field`` in the active language, as ``get_<field>_display`` gives
    it (the value itself when it is not one of the choices)."""
    key = (type(obj), field, get_language())
    labels = _LABELS.get(key)
    if labels is None:
        labels = _LABELS[key] = {
            value: force_str(label, strings_only=True)
            for value, label in obj._meta.get_field(field).flatchoices
        }
    value = getattr(obj, field)
    return labels.get(value, value)
