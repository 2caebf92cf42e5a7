"""The conversation guide: read by all staff (``/guide/``), edited by the functional administrator
(``/admin-area/guide/``). Every edit is a new version; the views only parse input and call a service."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from waardewerk.core.exceptions import PermissionDeniedError
from waardewerk.core.forms import call_service
from waardewerk.instruments.selectors import definitions_by_key
from waardewerk.knowledge import policies, selectors, services
from waardewerk.knowledge.forms import NoteForm, TopicForm, instrument_choices, source_label
from waardewerk.knowledge.guide import PHASES, Guide, Topic, to_yaml
from waardewerk.trajectories.models import Phase


@dataclass
class TopicRow:
    topic: Topic
    audience_labels: list[str]
    instruments: list[tuple[str, str, bool]]  # key, title, loaded (linked)
    source: str
    first: bool
    last: bool


@dataclass
class PhaseRow:
    phase: str
    label: str
    intro: str
    topics: list[TopicRow]


def _phase_rows(guide: Guide, audience: str = "", instruments: dict | None = None) -> list[PhaseRow]:
    titles = instruments or {}
    rows = []
    for phase, intro, topics in guide.phases(audience):
        rows.append(
            PhaseRow(
                phase=phase,
                label=str(Phase(phase).label),
                intro=intro,
                topics=[
                    TopicRow(
                        topic=topic,
                        audience_labels=[guide.audience_label(a) for a in topic.audiences],
                        instruments=[(key, titles.get(key, key), key in titles) for key in topic.instruments],
                        source=source_label(topic.knowledge_source),
                        first=index == 0,
                        last=index == len(topics) - 1,
                    )
                    for index, topic in enumerate(topics)
                ],
            )
        )
    return rows


def _instrument_titles() -> dict[str, str]:
    return {key: definition.title for key, definition in definitions_by_key().items()}


def _require_reader(request) -> None:
    if not policies.can_read_guide(request.user):
        raise PermissionDenied


def _require_editor(request) -> None:
    if not policies.can_edit_guide(request.user):
        raise PermissionDenied


def _current_or_404():
    found = selectors.current_guide()
    if found is None:
        raise Http404
    return found


@require_GET
def guide(request):
    """The current guide for every staff member, optionally for one audience (``?audience=``)."""
    _require_reader(request)
    found = selectors.current_guide()
    context: dict = {"version": None, "guide": None}
    if found is not None:
        version, reader = found
        audience = request.GET.get("audience", "")
        if audience not in reader.audience_keys:
            audience = ""
        context.update(
            version=version,
            guide=reader,
            audience=audience,
            audience_label=reader.audience_label(audience),
            phases=_phase_rows(reader, audience, _instrument_titles()),
            can_edit=policies.can_edit_guide(request.user),
        )
    return render(request, "knowledge/guide.html", context)


@require_GET
def admin(request):
    """The editor's overview: the current guide with edit buttons, and the version history."""
    _require_editor(request)
    found = selectors.current_guide()
    context: dict = {"version": None, "guide": None}
    if found is not None:
        version, reader = found
        context.update(
            version=version,
            guide=reader,
            phases=_phase_rows(reader, "", _instrument_titles()),
            versions=selectors.guide_versions(reader.key),
        )
    return render(request, "knowledge/admin.html", context)


@require_GET
def download(request):
    """The current version as a YAML file, loadable again with ``waardewerk guide load``."""
    _require_editor(request)
    version, reader = _current_or_404()
    response = HttpResponse(to_yaml(version.definition), content_type="application/yaml; charset=utf-8")
    filename = f"gespreksleidraad-{reader.key}-v{version.version}.yaml"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def version_detail(request, version):
    """An earlier (or the current) version, read only."""
    _require_editor(request)
    stored = selectors.guide_version(None, version)
    if stored is None:
        raise Http404
    reader = Guide(stored.definition)
    return render(
        request,
        "knowledge/version.html",
        {
            "stored": stored,
            "guide": reader,
            "phases": _phase_rows(reader, "", _instrument_titles()),
            "current_version": selectors.current_version_number(),
        },
    )


def _form_page(request, *, form, version, reader, phase, topic_key="", conflict="", status=200):
    return render(
        request,
        "knowledge/topic_form.html",
        {
            "form": form,
            "version": version,
            "guide": reader,
            "phase": phase,
            "phase_label": Phase(phase).label,
            "topic_key": topic_key,
            "conflict": conflict,
        },
        status=status,
    )


def _base_version(request) -> int | None:
    try:
        return int(request.POST.get("base_version", ""))
    except ValueError:
        return None


def _save(form, write) -> tuple[object | None, str]:
    """Call one of the editor's services: returns (the new version, "") or (None, the conflict message);
    the service's field errors go onto the form. A topic that no longer exists is a 404."""

    def checked():
        try:
            return write()
        except services.TopicNotFound:
            raise Http404 from None

    outcome = call_service(form, checked)
    return outcome.result, outcome.conflict


@require_http_methods(["GET", "POST"])
def topic_edit(request, key):
    _require_editor(request)
    version, reader = _current_or_404()
    found = reader.topic_raw(key)
    if found is None and request.method == "GET":
        raise Http404
    phase, raw = found if found else (PHASES[0], {})
    choices = instrument_choices(raw.get("instruments"))
    if request.method == "GET":
        form = TopicForm(
            initial=TopicForm.initial_for(raw, version.version, reader), guide=reader, instruments=choices
        )
        return _form_page(request, form=form, version=version, reader=reader, phase=phase, topic_key=key)
    form = TopicForm(request.POST, guide=reader, instruments=choices)
    conflict = ""
    if form.is_valid() or _base_version(request) != version.version:
        stored, conflict = _save(
            form,
            lambda: services.guide_topic_update(
                actor=request.user,
                topic_key=key,
                base_version=_base_version(request),
                **form.service_arguments(),
            ),
        )
        if stored is not None:
            messages.success(
                request,
                _("The topic is saved. The guide is now at version %(version)d.")
                % {"version": stored.version},
            )
            return redirect(reverse("knowledge:admin") + f"#topic-{key}")
    return _form_page(
        request,
        form=form,
        version=version,
        reader=reader,
        phase=phase,
        topic_key=key,
        conflict=conflict,
        status=422,
    )


@require_http_methods(["GET", "POST"])
def topic_add(request, phase):
    _require_editor(request)
    if phase not in PHASES:
        raise Http404
    version, reader = _current_or_404()
    choices = instrument_choices()
    if request.method == "GET":
        form = TopicForm(
            initial={"base_version": version.version, "audiences": reader.audience_keys},
            guide=reader,
            instruments=choices,
        )
        return _form_page(request, form=form, version=version, reader=reader, phase=phase)
    form = TopicForm(request.POST, guide=reader, instruments=choices)
    conflict = ""
    if form.is_valid() or _base_version(request) != version.version:
        stored, conflict = _save(
            form,
            lambda: services.guide_topic_add(
                actor=request.user,
                phase=phase,
                base_version=_base_version(request),
                **form.service_arguments(),
            ),
        )
        if stored is not None:
            messages.success(
                request,
                _("The topic is added. The guide is now at version %(version)d.")
                % {"version": stored.version},
            )
            return redirect(reverse("knowledge:admin") + f"#topic-{stored.added_key}")
    return _form_page(
        request, form=form, version=version, reader=reader, phase=phase, conflict=conflict, status=422
    )


@require_http_methods(["GET", "POST"])
def topic_remove(request, key):
    _require_editor(request)
    version, reader = _current_or_404()
    topic = reader.topic(key)
    if topic is None and request.method == "GET":
        raise Http404
    conflict = ""
    if request.method == "GET":
        form = NoteForm(initial={"base_version": version.version})
        status = 200
    else:
        form = NoteForm(request.POST)
        status = 422
        if form.is_valid() or _base_version(request) != version.version:
            stored, conflict = _save(
                form,
                lambda: services.guide_topic_remove(
                    actor=request.user,
                    topic_key=key,
                    note=request.POST.get("note", ""),
                    base_version=_base_version(request),
                ),
            )
            if stored is not None:
                messages.success(
                    request,
                    _("The topic is removed. The guide is now at version %(version)d.")
                    % {"version": stored.version},
                )
                return redirect(reverse("knowledge:admin") + f"#phase-{topic.phase if topic else ''}")
    return render(
        request,
        "knowledge/topic_remove.html",
        {"form": form, "topic": topic, "version": version, "conflict": conflict, "key": key},
        status=status,
    )


@require_POST
def topic_move(request, key):
    _require_editor(request)
    try:
        stored = services.guide_topic_move(
            actor=request.user,
            topic_key=key,
            direction=request.POST.get("direction", ""),
            note=request.POST.get("note", ""),
            base_version=_base_version(request),
        )
    except PermissionDeniedError:
        raise PermissionDenied from None
    except services.TopicNotFound:
        raise Http404 from None
    except ValidationError as exc:  # also ConcurrentEditError: the page then shows the newest version
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("The topic is moved. The guide is now at version %(version)d.") % {"version": stored.version},
        )
    return redirect(reverse("knowledge:admin") + f"#topic-{key}")
