"""Pages of the content editor for intervision methods and review checkpoints: the organisation's own
versions (``content_edit``), their history, one version, a file to load and to export. Everyone of the staff
reads methods and checkpoints (no client data); only the content editor changes them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.core.access import require
from waardewerk.core.content import ContentError, localised
from waardewerk.core.exceptions import ConcurrentEditError, PermissionDeniedError
from waardewerk.intervision import content_edit, in_effect, policies
from waardewerk.intervision.forms import (
    CheckpointForm,
    CheckpointFormSet,
    CheckpointsForm,
    ContentImportForm,
    MethodForm,
    MethodPhaseFormSet,
    PhaseForm,
)
from waardewerk.intervision.method import Method
from waardewerk.intervision.review import checkpoints_of

# Shared ---------------------------------------------------------------------------------------------------


def _org(request):
    return request.user.organisation_id


def _history_context(name: str, request, key: str, current) -> dict:
    found = content_edit.history(name, _org(request), key)
    installation_current = found["installation"][0] if found["installation"] else None
    own = found["own"]
    newer = (
        installation_current
        if own and installation_current and installation_current.version > own[-1].version
        else None
    )
    return {
        "own_versions": own,
        "installation_versions": [] if own else found["installation"],
        "newer_installation": newer,
        "editor": policies.can_edit_content(request.user),
    }


def _upload_text(form) -> tuple[str, list[str]]:
    upload = form.cleaned_data["file"]
    if upload.size > content_edit.IMPORT_MAX_BYTES:
        return "", [_("The file is larger than %(kb)d KB.") % {"kb": content_edit.IMPORT_MAX_BYTES // 1000}]
    try:
        return upload.read().decode("utf-8"), []
    except UnicodeDecodeError:
        return "", [_("The file is not text in UTF-8.")]


def _import(request, name: str, key: str):
    """Load a file as the organisation's next version; returns (done, problems, form)."""
    form = ContentImportForm(request.POST, request.FILES)
    problems: list[str] = []
    if not form.is_valid():
        return False, problems, form
    text, problems = _upload_text(form)
    if problems:
        return False, problems, form
    upload = form.cleaned_data["file"]
    try:
        content_edit.import_file(
            name, actor=request.user, key=key, text=text, filename=upload.name, note=form.cleaned_data["note"]
        )
    except PermissionDeniedError:
        raise PermissionDenied from None
    except ContentError as error:
        problems = list(error.problems)
    except ConcurrentEditError as exc:
        problems = list(exc.messages)
    except ValidationError as exc:
        problems = [m for m in exc.messages]
    else:
        return True, [], form
    return False, problems, form


def _export(request, name: str, version_row, filename: str):
    require(policies.can_edit_content(request.user))
    content_edit.exported(name, actor=request.user, version_row=version_row)
    response = HttpResponse(
        content_edit.export_text(version_row), content_type="application/yaml; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _version_or_404(name: str, request, key: str, number: int):
    installation = request.GET.get("of") == "installation"
    found = content_edit.version(name, _org(request), key, number, installation=installation)
    if found is None and not installation:
        # Before the organisation's first change its versions are the installation's.
        if not content_edit.history(name, _org(request), key)["own"]:
            found = content_edit.version(name, _org(request), key, number, installation=True)
    if found is None:
        raise Http404
    return found


def _problem_fields(problems: list[str], form, formset, body: str) -> list[str]:
    """Put the checker's problems next to the fields they concern where the place says which; returns the
    rest (shown above the form)."""
    rest = []
    for problem in problems:
        where, _sep, message = problem.partition(": ")
        head = where.split(".")[0]
        if head.startswith(f"{body}[") and head.endswith("]"):
            try:
                index = int(head[len(body) + 1 : -1])
            except ValueError:
                index = -1
            forms = getattr(formset, "kept_forms", formset.forms)
            if 0 <= index < len(forms):
                forms[index].add_error(None, message or problem)
                continue
        if head in ("title", "description", "sources") and f"{head}_nl" in form.fields:
            form.add_error(f"{head}_nl" if head != "sources" else "sources", message or problem)
            continue
        rest.append(problem)
    return rest


# Methods --------------------------------------------------------------------------------------------------


@require_GET
def method_detail(request, key):
    require(policies.can_read_methods(request.user))
    version = in_effect.version_in_effect("method", _org(request), key)
    if version is None:
        raise Http404
    context = {"version": version, "method": Method.from_definition(version.definition)}
    context |= _history_context("method", request, key, version)
    if context["editor"]:
        context["import_form"] = ContentImportForm()
    return render(request, "intervision/method.html", context)


@require_GET
def method_version(request, key, version):
    require(policies.can_read_methods(request.user))
    found = _version_or_404("method", request, key, version)
    current = in_effect.version_in_effect("method", _org(request), key)
    return render(
        request,
        "intervision/method_version.html",
        {
            "version": found,
            "method": Method.from_definition(found.definition),
            "current": current,
            "installation": request.GET.get("of") == "installation",
        },
    )


@require_http_methods(["GET", "POST"])
def method_edit(request, key):
    require(policies.can_read_methods(request.user))
    current = in_effect.version_in_effect("method", _org(request), key)
    if current is None:
        raise Http404
    require(policies.can_edit_content(request.user))
    conflict = ""
    problems: list[str] = []
    if request.method == "GET":
        form = MethodForm(initial=MethodForm.initial_for(current))
        formset = MethodPhaseFormSet(
            initial=[PhaseForm.initial_for(p) for p in current.definition["phases"]], prefix="phases"
        )
    else:
        form = MethodForm(request.POST)
        formset = MethodPhaseFormSet(request.POST, prefix="phases")
        if form.is_valid() and formset.is_valid():
            head, phases = form.head(), formset.phases()

            def change(definition: dict, errors: dict) -> None:
                definition.update(head, phases=phases)

            try:
                content_edit.edit(
                    "method",
                    actor=request.user,
                    key=key,
                    base_version=form.cleaned_data["base_version"],
                    note=form.cleaned_data["note"],
                    change=change,
                )
            except PermissionDeniedError:
                raise PermissionDenied from None
            except ConcurrentEditError as exc:
                conflict = " ".join(exc.messages)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    form.add_service_errors(exc)
                else:
                    problems = _problem_fields(exc.messages, form, formset, "phases")
            else:
                messages.success(request, _("The method is saved as a new version."))
                return redirect("intervision:method", key=key)
    return render(
        request,
        "intervision/method_edit.html",
        {
            "form": form,
            "formset": formset,
            "current": current,
            "method": Method.from_definition(current.definition),
            "conflict": conflict,
            "problems": problems,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def method_import(request, key):
    require(policies.can_read_methods(request.user))
    current = in_effect.version_in_effect("method", _org(request), key)
    if current is None:
        raise Http404
    require(policies.can_edit_content(request.user))
    done, problems, form = _import(request, "method", key)
    if done:
        messages.success(request, _("The file is loaded as a new version of the method."))
        return redirect("intervision:method", key=key)
    context = {
        "version": current,
        "method": Method.from_definition(current.definition),
        "import_form": form,
        "import_problems": problems,
    }
    context |= _history_context("method", request, key, current)
    return render(request, "intervision/method.html", context, status=422)


@require_GET
def method_export(request, key):
    require(policies.can_read_methods(request.user))
    current = in_effect.version_in_effect("method", _org(request), key)
    if current is None:
        raise Http404
    return _export(request, "method", current, f"{key}-{current.version}.yaml")


# Checkpoints ----------------------------------------------------------------------------------------------


def _checkpoints_or_404(request):
    require(policies.can_read_methods(request.user))
    version = in_effect.version_in_effect("checkpoints", _org(request))
    if version is None:
        raise Http404
    return version


@require_GET
def checkpoints(request):
    require(policies.can_read_methods(request.user))
    version = in_effect.version_in_effect("checkpoints", _org(request))
    context = {
        "version": version,
        "description": localised(version.definition["description"]) if version else "",
        "checkpoints": checkpoints_of(version.definition) if version else [],
    }
    if version is not None:
        context |= _history_context("checkpoints", request, version.checkpoint_set.key, version)
        if context["editor"]:
            context["import_form"] = ContentImportForm()
    return render(request, "intervision/checkpoints.html", context)


@require_GET
def checkpoints_version(request, version):
    current = _checkpoints_or_404(request)
    found = _version_or_404("checkpoints", request, current.checkpoint_set.key, version)
    return render(
        request,
        "intervision/checkpoints_version.html",
        {
            "version": found,
            "current": current,
            "description": localised(found.definition["description"]),
            "checkpoints": checkpoints_of(found.definition),
            "installation": request.GET.get("of") == "installation",
        },
    )


@require_http_methods(["GET", "POST"])
def checkpoints_edit(request):
    current = _checkpoints_or_404(request)
    require(policies.can_edit_content(request.user))
    key = current.checkpoint_set.key
    conflict = ""
    problems: list[str] = []
    if request.method == "GET":
        form = CheckpointsForm(initial={"base_version": current.version})
        formset = CheckpointFormSet(
            initial=[CheckpointForm.initial_for(c) for c in current.definition["checkpoints"]],
            prefix="checkpoints",
        )
    else:
        form = CheckpointsForm(request.POST)
        formset = CheckpointFormSet(request.POST, prefix="checkpoints")
        if form.is_valid() and formset.is_valid():
            wording = {f.cleaned_data["key"]: f.wording() for f in formset.forms if f.cleaned_data}

            def change(definition: dict, errors: dict) -> None:
                known = {c["key"] for c in definition["checkpoints"]}
                if set(wording) != known:
                    errors["__all__"] = _(
                        "The checkpoints changed since you opened the page. Nothing is saved; open the page "
                        "again and make your change there."
                    )
                    return
                for checkpoint in definition["checkpoints"]:
                    checkpoint.pop("off", None)
                    checkpoint.update(wording[checkpoint["key"]])

            try:
                content_edit.edit(
                    "checkpoints",
                    actor=request.user,
                    key=key,
                    base_version=form.cleaned_data["base_version"],
                    note=form.cleaned_data["note"],
                    change=change,
                )
            except PermissionDeniedError:
                raise PermissionDenied from None
            except ConcurrentEditError as exc:
                conflict = " ".join(exc.messages)
            except ValidationError as exc:
                if hasattr(exc, "error_dict"):
                    form.add_service_errors(exc)
                else:
                    problems = _problem_fields(exc.messages, form, formset, "checkpoints")
            else:
                messages.success(request, _("The checkpoints are saved as a new version."))
                return redirect("intervision:checkpoints")
    rows = list(zip(formset.forms, current.definition["checkpoints"], strict=False))
    return render(
        request,
        "intervision/checkpoints_edit.html",
        {
            "form": form,
            "formset": formset,
            "rows": rows,
            "current": current,
            "conflict": conflict,
            "problems": problems,
        },
        status=422 if request.method == "POST" else 200,
    )


@require_POST
def checkpoints_import(request):
    current = _checkpoints_or_404(request)
    require(policies.can_edit_content(request.user))
    key = current.checkpoint_set.key
    done, problems, form = _import(request, "checkpoints", key)
    if done:
        messages.success(request, _("The file is loaded as a new version of the checkpoints."))
        return redirect("intervision:checkpoints")
    context = {
        "version": current,
        "description": localised(current.definition["description"]),
        "checkpoints": checkpoints_of(current.definition),
        "import_form": form,
        "import_problems": problems,
    }
    context |= _history_context("checkpoints", request, key, current)
    return render(request, "intervision/checkpoints.html", context, status=422)


@require_GET
def checkpoints_export(request):
    current = _checkpoints_or_404(request)
    return _export(request, "checkpoints", current, f"{current.checkpoint_set.key}-{current.version}.yaml")
