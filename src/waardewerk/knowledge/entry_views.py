"""The knowledge base: the list with search and filters and an entry's page for every staff member; a
professional's proposal of a local practice method; the knowledge editor's review, edits, import and export.
Every change is a new version with its reason; the views only parse input and call a service."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.core.access import require
from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.forms import call_service
from waardewerk.knowledge import entry_errors, policies, selectors, services
from waardewerk.knowledge.entry import Entry, EntryError
from waardewerk.knowledge.forms import EntryForm, EntrySearchForm, ImportForm, ReviewForm, WithdrawForm
from waardewerk.trajectories.models import Context

IMPORT_MAX_BYTES = 1_000_000


def _language() -> str:
    return (get_language() or "nl")[:2]


def _entry_or_404(request, key: str):
    entry = selectors.visible_entry(request.user, key)
    if entry is None:
        raise Http404
    return entry


def _terms(definition: dict, values: dict, determinants: dict) -> dict:
    contexts = dict(Context.choices)
    return {
        "values": [values.get(k, k) for k in definition.get("work_values", [])],
        "determinants": [determinants.get(k, k) for k in definition.get("determinants", [])],
        "contexts": [contexts.get(k, k) for k in definition.get("contexts", [])],
    }


@require_GET
def entries(request):
    """The knowledge base: every entry the actor may open, with search and filters."""
    require(policies.can_read_knowledge_base(request.user))
    values, determinants = services.entry_vocabulary()
    form = EntrySearchForm(request.GET or None, values=values, determinants=determinants)
    search = selectors.EntryFilter()
    if form.is_bound:
        if form.is_valid():
            search = selectors.EntryFilter(**form.cleaned_data)
        else:
            messages.warning(request, _("A filter had a value that is not in its list; it is left out."))
            search = selectors.EntryFilter(
                **{k: v for k, v in form.cleaned_data.items() if k not in form.errors}
            )
    rows = [
        {"entry": entry, "read": read, **_terms(read.definition, values, determinants)}
        for entry, read in selectors.entries(request.user, search)
    ]
    return render(
        request,
        "knowledge/entries.html",
        {
            "form": form,
            "rows": rows,
            "filtered": form.is_bound,
            "can_propose": policies.can_propose_entry(request.user),
            "can_manage": policies.can_manage_knowledge_base(request.user),
        },
    )


@require_GET
def entry(request, key):
    entry = _entry_or_404(request, key)
    read = Entry(entry.current.definition)
    values, determinants = services.entry_vocabulary()
    can_review = policies.can_review_entry(request.user, entry)
    return render(
        request,
        "knowledge/entry.html",
        {
            "entry": entry,
            "read": read,
            **_terms(read.definition, values, determinants),
            "published_differs": entry.published_id and entry.published_id != entry.current_id,
            "can_edit": policies.can_edit_entry(request.user, entry),
            "can_review": can_review,
            "review_form": ReviewForm(initial={"base_version": entry.current.version})
            if can_review
            else None,
            "versions": selectors.entry_history(entry)
            if policies.can_view_entry_history(request.user, entry)
            else None,
        },
    )


@require_GET
def entry_version(request, key, version):
    entry = _entry_or_404(request, key)
    require(policies.can_view_entry_history(request.user, entry))
    stored = selectors.entry_version(entry, version)
    if stored is None:
        raise Http404
    values, determinants = services.entry_vocabulary()
    read = Entry(stored.definition)
    return render(
        request,
        "knowledge/entry_version.html",
        {"entry": entry, "stored": stored, "read": read, **_terms(read.definition, values, determinants)},
    )


def _form_page(request, *, form, entry=None, conflict="", status=200):
    return render(
        request,
        "knowledge/entry_form.html",
        {"form": form, "entry": entry, "conflict": conflict, "editor": form.editor},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def entry_new(request):
    """A professional proposes a local practice method; the knowledge editor adds an entry."""
    editor = policies.can_manage_knowledge_base(request.user)
    require(editor or policies.can_propose_entry(request.user))
    values, determinants = services.entry_vocabulary()
    kwargs = {"values": values, "determinants": determinants, "editor": editor, "new": True}
    if request.method == "GET":
        return _form_page(request, form=EntryForm(initial={"kind": "intervention"}, **kwargs))
    form = EntryForm(request.POST, **kwargs)
    if form.is_valid():
        try:
            outcome = call_service(
                form,
                lambda: services.entry_create(
                    actor=request.user,
                    fields=form.service_fields(),
                    note=form.cleaned_data["note"],
                    language=_language(),
                ),
                errors=lambda exc: _entry_errors(exc, form),
            )
        except PermissionDeniedError:
            raise PermissionDenied from None
        if outcome.saved:
            messages.success(
                request,
                _("The entry is published.")
                if editor
                else _("Your proposal is sent to the knowledge editor for review."),
            )
            return redirect("knowledge:entry", key=outcome.result.key)
    return _form_page(request, form=form, status=422)


def _entry_errors(exc: ValidationError, form: EntryForm) -> ValidationError:
    """The checker names problems by the file's places (``recognition.body: missing``); on the form each
    shows beside the field it concerns, in the form's words (``knowledge.entry_errors``)."""
    if hasattr(exc, "error_dict"):
        return exc
    errors = entry_errors.field_errors(exc.messages, form.fields)
    return ValidationError({field or NON_FIELD_ERRORS: messages for field, messages in errors.items()})


@require_http_methods(["GET", "POST"])
def entry_edit(request, key):
    entry = _entry_or_404(request, key)
    require(policies.can_edit_entry(request.user, entry))
    editor = policies.can_manage_knowledge_base(request.user)
    values, determinants = services.entry_vocabulary()
    kwargs = {"values": values, "determinants": determinants, "editor": editor}
    if request.method == "GET":
        initial = EntryForm.initial_for(entry.current.definition, entry.current.version, _language())
        return _form_page(request, form=EntryForm(initial=initial, **kwargs), entry=entry)
    form = EntryForm(request.POST, **kwargs)
    conflict = ""
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.entry_update(
                actor=request.user,
                entry=entry,
                fields=form.service_fields(),
                note=form.cleaned_data["note"],
                base_version=form.cleaned_data["base_version"],
                language=_language(),
            ),
            errors=lambda exc: _entry_errors(exc, form),
        )
        if outcome.saved:
            messages.success(request, _("The entry is saved as a new version."))
            return redirect("knowledge:entry", key=entry.key)
        conflict = outcome.conflict
    return _form_page(request, form=form, entry=entry, conflict=conflict, status=422)


@require_POST
def entry_review(request, key):
    entry = _entry_or_404(request, key)
    require(policies.can_manage_knowledge_base(request.user))
    if not policies.can_review_entry(request.user, entry):
        raise PermissionDeniedError(_("This entry is not awaiting review."))
    form = ReviewForm(request.POST)
    conflict = ""
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.entry_review(
                actor=request.user,
                entry=entry,
                decision=form.cleaned_data["decision"],
                remarks=form.cleaned_data["remarks"],
                base_version=form.cleaned_data["base_version"],
            ),
        )
        conflict = outcome.conflict
        if outcome.saved:
            published = form.cleaned_data["decision"] == "publish"
            messages.success(
                request,
                _("The proposal is published.")
                if published
                else _("The proposal is returned with your remarks."),
            )
            return redirect("knowledge:entry", key=entry.key)
    read = Entry(entry.current.definition)
    values, determinants = services.entry_vocabulary()
    return render(
        request,
        "knowledge/entry.html",
        {
            "entry": entry,
            "read": read,
            **_terms(read.definition, values, determinants),
            "can_edit": True,
            "can_review": True,
            "review_form": form,
            "conflict": conflict,
            "versions": selectors.entry_history(entry),
        },
        status=422,
    )


@require_POST
def entry_withdraw(request, key):
    entry = _entry_or_404(request, key)
    require(policies.can_manage_knowledge_base(request.user))
    if not policies.can_withdraw_entry(request.user, entry):
        raise PermissionDeniedError(_("Only a published entry can be withdrawn."))
    form = WithdrawForm(request.POST)
    if form.is_valid():
        outcome = call_service(
            form,
            lambda: services.entry_withdraw(
                actor=request.user, entry=entry, reason=form.cleaned_data["reason"]
            ),
        )
        if outcome.saved:
            messages.success(request, _("The entry is withdrawn."))
            return redirect("knowledge:entry", key=entry.key)
    read = Entry(entry.current.definition)
    values, determinants = services.entry_vocabulary()
    return render(
        request,
        "knowledge/entry.html",
        {
            "entry": entry,
            "read": read,
            **_terms(read.definition, values, determinants),
            "can_edit": True,
            "withdraw_form": form,
            "versions": selectors.entry_history(entry),
        },
        status=422,
    )


@require_GET
def editor(request):
    """The knowledge editor's page: proposals awaiting review, import and export."""
    require(policies.can_manage_knowledge_base(request.user))
    return render(
        request,
        "knowledge/editor.html",
        {"proposals": selectors.proposals(request.user), "import_form": ImportForm()},
    )


@require_POST
def entries_import(request):
    require(policies.can_manage_knowledge_base(request.user))
    form = ImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if form.is_valid():
        upload = form.cleaned_data["file"]
        text = ""
        if upload.size > IMPORT_MAX_BYTES:
            problems = [_("The file is larger than %(kb)d KB.") % {"kb": IMPORT_MAX_BYTES // 1000}]
        else:
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                problems = [_("The file is not text in UTF-8.")]
        if not problems:
            try:
                results = services.entries_import(actor=request.user, text=text, filename=upload.name)
            except PermissionDeniedError:
                raise PermissionDenied from None
            except EntryError as error:
                problems = entry_errors.described(error.problems)
            else:
                added = sum(1 for r in results if r.created)
                messages.success(
                    request,
                    _("%(added)d entry versions loaded, %(same)d already present.")
                    % {"added": added, "same": len(results) - added},
                )
                return redirect("knowledge:editor")
    if problems:
        # Beside the file field, each with the entry's place in the file and the form's label of the field.
        form.add_error("file", problems)
    return render(
        request,
        "knowledge/editor.html",
        {"proposals": selectors.proposals(request.user), "import_form": form, "problems": problems},
        status=422,
    )


@require_GET
def entries_export(request):
    """The current versions of every entry the editor manages, as one YAML file."""
    require(policies.can_manage_knowledge_base(request.user))
    found = [e for e, _read in selectors.entries(request.user)]
    services.entries_exported(actor=request.user, count=len(found))
    response = HttpResponse(services.entries_export(found), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="kennisbank.yaml"'
    return response
