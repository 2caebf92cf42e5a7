"""``waardewerk fit --client ANSWERS.json --job PROFILE.json``: the value fit of one job for one client, as
JSON, for checking the rule (docs/matching.md).

ANSWERS.json holds the client's answers to the instrument with ``roles.matching: work_values`` in the
format of ``waardewerk score`` (``{"answers": {"<item id>": <value>, ...}}``); PROFILE.json holds the job's
value profile ``{"profile": {"<work value>": 1-5, ...}}`` with every work value. Missing or out-of-range
items exit with code 2 and a message naming them (on standard error).
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from waardewerk.instruments.scoring import score
from waardewerk.matching import fit as fit_rule
from waardewerk.matching.selectors import work_values


def _read(file: str, key: str, shape: str) -> dict:
    try:
        text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
        data = json.loads(text)
    except (OSError, UnicodeDecodeError) as error:
        raise CommandError(f"Cannot read {file}: {error}", returncode=2) from None
    except json.JSONDecodeError as error:
        raise CommandError(f"{file} is not valid JSON: {error}", returncode=2) from None
    found = data.get(key) if isinstance(data, dict) else None
    if not isinstance(found, dict):
        raise CommandError(f"Expected a JSON object {shape} in {file}.", returncode=2)
    return found


class Command(BaseCommand):
    help = "The value fit of a job for a client (the rule of docs/matching.md); prints the result as JSON."

    def add_arguments(self, parser):
        parser.add_argument("--client", required=True, help='A JSON file {"answers": {...}}, or -.')
        parser.add_argument("--job", required=True, help='A JSON file {"profile": {"use_skills": 4, ...}}.')

    def handle(self, *args, client, job, **options):
        translation.activate("en")  # messages for integrations and logs, not for a screen
        values = work_values()
        if values is None:
            raise CommandError("No instrument declares roles.matching: work_values.")
        answers = _read(client, "answers", '{"answers": {"<item id>": <value>, ...}}')
        profile = _read(job, "profile", '{"profile": {"<work value>": <1-5>, ...}}')
        clean, errors = values.definition.check_answers(answers, complete=True)
        problems = [f"{error.item}: {error.message}" for error in errors]
        for key in values.keys:
            if key not in profile:
                problems.append(f"profile.{key}: missing")
            elif isinstance(profile[key], bool) or profile[key] not in fit_rule.SCALE:
                problems.append(f"profile.{key}: {profile[key]!r} is not a whole number from 1 to 5")
        problems += [f"profile.{key}: not a work value" for key in profile if key not in values.keys]
        if problems:
            raise CommandError(
                f"{len(problems)} item(s) missing or out of range:\n  " + "\n  ".join(problems), returncode=2
            )
        scored = score(values.definition.data, clean)
        result = fit_rule.compute(values.keys, scored["values"], profile, threshold=values.threshold)
        data = result.as_dict()
        output = {
            "values": {
                key: {"importance": v["importance"], "job": v["job"], "status": v["status"]}
                for key, v in data["values"].items()
            },
            "important": data["important"],
            "matched": data["matched"],
            "gaps": data["gaps"],
            "partial": data["partial"],
            "fit_share": data["fit_share"],
        }
        self.stdout.write(json.dumps(output, ensure_ascii=False, indent=2))
