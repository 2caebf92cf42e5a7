"""Fictional people: names by background, e-mail-safe spellings, BSNs that pass the elfproef, and the words
that fill a text's placeholders ({aanhef}, {hij}, {werkgever}, ...). Word lists: ``data/people.yaml`` and
``data/places.yaml``."""

from __future__ import annotations

import datetime as dt
import random
import unicodedata
from dataclasses import dataclass
from functools import cache

from waardewerk.clients.validators import bsn_is_valid
from waardewerk.sampledata.texts import load

DUTCH = "nederlands"
OLDER_FROM_AGE = 42  # first names of the older generation from this age


@dataclass
class Person:
    first_name: str
    infix: str
    last_name: str
    female: bool
    origin: str
    age: int
    date_of_birth: dt.date | None = None


def origin_mix() -> dict[str, int]:
    """How many of every 48 clients have each background (the demo's counts, the generator's weights)."""
    return dict(load("people")["origin_mix"])


def is_status_holder(origin: str) -> bool:
    return origin in load("people")["status_holder_origins"]


def is_newcomer(origin: str) -> bool:
    """Learns Dutch as a second language (status holders and recent labour migrants)."""
    return origin in load("people")["newcomer_origins"]


@cache
def _dutch_last_names() -> tuple[tuple[str, str], ...]:
    return tuple(split_infix(name) for name in load("people")["dutch"]["last_names"])


def split_infix(name: str) -> tuple[str, str]:
    """("van der", "Meer") for "van der Meer": the infix (tussenvoegsel) and the rest."""
    for infix in load("people")["infixes"]:
        if name.startswith(infix + " "):
            return infix, name[len(infix) + 1 :]
    return "", name


def random_name(rng: random.Random, origin: str, female: bool, age: int) -> tuple[str, str, str]:
    """First name, infix and last name of a person of this background, gender and age."""
    people = load("people")
    if origin == DUTCH:
        generation = "older" if age >= OLDER_FROM_AGE else "younger"
        first = rng.choice(people["dutch"]["first_names"]["female" if female else "male"][generation])
        infix, last = rng.choice(_dutch_last_names())
        return first, infix, last
    names = people["other_origins"][origin]
    first = rng.choice(names["female" if female else "male"])
    last = rng.choice(names["last_names"])
    if "/" in last:  # a declined last name: male/female form
        last = last.split("/")[1 if female else 0]
    return first, "", last


def ascii_name(text: str) -> str:
    """Lower-case letters and digits only, accents removed: for user names and e-mail addresses."""
    text = text.replace("ł", "l").replace("Ł", "L").replace("ı", "i")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.lower() if ch.isalnum())


def email_local_part(rng: random.Random, person: Person, suffix: str) -> str:
    first, last = ascii_name(person.first_name), ascii_name(person.infix + person.last_name)
    return rng.choice([f"{first}.{last}", f"{first[:1]}{last}", f"{first}{last}{suffix}"])


def postcode_letters(rng: random.Random) -> str:
    letters = load("places")["postcode_letters"]
    return rng.choice(letters["first"]) + rng.choice(letters["second"])


def mobile_number(rng: random.Random) -> str:
    return f"06-{rng.randint(10000000, 59999999)}"


def bsn(rng: random.Random, taken: set[str]) -> str:
    """A new BSN that passes the elfproef, is not in ``taken`` (it is added) and is not too uniform."""
    while True:
        number = rng.randrange(10_000_000, 70_000_000)  # eight digits, the first 1-6
        check = sum(w * int(d) for w, d in zip(range(9, 1, -1), str(number), strict=True)) % 11
        if check == 10:
            continue
        value = f"{number}{check}"
        if value not in taken and len(set(value)) > 3 and bsn_is_valid(value):
            taken.add(value)
            return value


def employers() -> list[str]:
    return sorted(load("places")["employers"])


def words(rng: random.Random, person: Person, instruments: dict[str, list[str]] | None = None) -> dict:
    """What fills the placeholders of a text about this person (see ``data/trajectories.yaml``).

    ``instruments`` gives the short titles of the loaded instruments: ``"client"`` those the client answers,
    ``"any"`` all; ``{vragenlijst}`` and ``{meting}`` pick one of each ("vragenlijst" when none is loaded)."""
    employer = rng.choice(employers())
    salutation = "mevrouw" if person.female else "meneer"
    pronoun = "zij" if person.female else "hij"
    instruments = instruments or {}
    return {
        "aanhef": salutation,
        "Aanhef": salutation.capitalize(),
        "hij": pronoun,
        "Hij": pronoun.capitalize(),
        "zijn": "haar" if person.female else "zijn",
        "hem": "haar" if person.female else "hem",
        "werkgever": employer,
        "beroep": rng.choice(load("places")["employers"][employer]),
        "leeftijd": person.age,
        "dienstjaren": rng.randint(2, max(2, min(25, person.age - 20))),
        "jaren_zonder_werk": rng.randint(2, 8),
        "vragenlijst": rng.choice(instruments.get("client") or ["vragenlijst"]),
        "meting": rng.choice(instruments.get("any") or ["vragenlijst"]),
    }
