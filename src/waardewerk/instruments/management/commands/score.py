"""``waardewerk score INSTRUMENT FILE``: score answers given as JSON, print the scoring as JSON.

FILE holds ``{"answers": {"<item id>": <value>, ...}}`` ("-" reads standard input). Missing or
out-of-range answers exit with code 2 and a message naming the items (on standard error).
"""

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from waardewerk.instruments import services
from waardewerk.instruments.definition import Definition
from waardewerk.instruments.models import InstrumentVersion
from waardewerk.instruments.scoring import score


class Command(BaseCommand):
    help = "Score answers with an instrument's scoring rule; prints the result as JSON."

    def add_arguments(self, parser):
        parser.add_argument("instrument", help="The instrument key, e.g. lwc, igm, participatieladder.")
        parser.add_argument("file", help='A JSON file {"answers": {...}}, or - for standard input.')
        parser.add_argument(
            "--instrument-version", dest="instrument_version", type=int, help="Default: the latest."
        )

    def handle(self, *args, instrument, file, instrument_version=None, **options):
        translation.activate("en")  # messages for integrations and logs, not for a screen
        try:
            if instrument_version is None:
                version = services.current_version(instrument)
            else:
                version = InstrumentVersion.objects.get(
                    instrument__key=instrument, version=instrument_version
                )
        except InstrumentVersion.DoesNotExist:
            raise CommandError(
                f"No instrument '{instrument}' (version {instrument_version or 'latest'})."
            ) from None
        try:
            text = sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")
            data = json.loads(text)
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(f"Cannot read {file}: {error}", returncode=2) from None
        except json.JSONDecodeError as error:
            raise CommandError(f"{file} is not valid JSON: {error}", returncode=2) from None
        answers = data.get("answers") if isinstance(data, dict) else None
        if not isinstance(answers, dict):
            raise CommandError(
                'Expected a JSON object {"answers": {"<item id>": <value>, ...}}.', returncode=2
            )
        definition = Definition(version.definition)
        clean, errors = definition.check_answers(answers, complete=True)
        if errors:
            lines = [f"{error.item}: {error.message}" for error in errors]
            raise CommandError(
                f"{len(errors)} answer(s) missing or out of range:\n  " + "\n  ".join(lines), returncode=2
            )
        result = {"instrument": instrument, "version": version.version, **score(version.definition, clean)}
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))
