"""The word lists extraction rules read: data files in ``lexicons/``, one entry per line, so that
what the rules know of the genre can be read and extended without touching code.

>>> "处长" in TITLES and SUFFIXES[0] == "委员会"
True
>>> ORGANISATION_TYPES[0]
('标准化技术委员会', 'standards-committee', True)
"""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "APPOINTMENT_VERBS",
    "BODY_TITLES",
    "NAME_BREAKERS",
    "NAME_ENDERS",
    "NAME_FOLLOWERS",
    "NOT_PERSON_NAMES",
    "SECTION_DUTY_WORDS",
    "SURNAMES",
    "TABLE_COLUMNS",
    "CLAUSE_OPENERS",
    "COLLECTIVE_UNITS",
    "DUTY_VERBS",
    "GENERIC_PLACES",
    "GENERIC_UNITS",
    "MEETING_NOUNS",
    "MEETING_VERBS",
    "NOT_NAMES",
    "OPENER_WORDS",
    "ORGANISATION_TYPES",
    "SUFFIXES",
    "TITLES",
    "UNIT_SUFFIXES",
    "read_lexicon",
]

_FOLDER = Path(__file__).resolve().parent / "lexicons"


def read_lexicon(name: str) -> tuple[str, ...]:
    """The entries of ``lexicons/NAME`` in order, without comments and blank lines.

    >>> read_lexicon("unit-suffixes.txt")[:3]
    ('处', '科', '室')
    """
    lines = (_FOLDER / name).read_text(encoding="utf-8").splitlines()
    return tuple(line.strip() for line in lines if line.strip() and not line.startswith("#"))


SUFFIXES = read_lexicon("organisation-suffixes.txt")
CLAUSE_OPENERS = read_lexicon("clause-openers.txt")
TITLES = read_lexicon("titles.txt")
NOT_NAMES = read_lexicon("not-names.txt")
UNIT_SUFFIXES = read_lexicon("unit-suffixes.txt")
GENERIC_UNITS = read_lexicon("generic-units.txt")
MEETING_VERBS = read_lexicon("meeting-verbs.txt")
NAME_BREAKERS = read_lexicon("name-breakers.txt")
NAME_FOLLOWERS = read_lexicon("name-followers.txt")
GENERIC_PLACES = read_lexicon("generic-places.txt")
MEETING_NOUNS = read_lexicon("meeting-nouns.txt")
DUTY_VERBS = read_lexicon("duty-verbs.txt")
SECTION_DUTY_WORDS = read_lexicon("section-duty-words.txt")
COLLECTIVE_UNITS = read_lexicon("collective-units.txt")
APPOINTMENT_VERBS = read_lexicon("appointment-verbs.txt")
OPENER_WORDS = read_lexicon("opener-words.txt")
SURNAMES = read_lexicon("surnames.txt")
BODY_TITLES = read_lexicon("body-titles.txt")
NOT_PERSON_NAMES = read_lexicon("not-person-names.txt")
NAME_ENDERS = frozenset(read_lexicon("name-enders.txt"))
# (keyword, type, whether the keyword may stand anywhere in the name rather than only at its end)
ORGANISATION_TYPES: tuple[tuple[str, str, bool], ...] = tuple(
    (keyword, kind, where == "anywhere")
    for keyword, kind, where in (line.split("\t") for line in read_lexicon("organisation-types.tsv"))
)
# (column heading, role) of task tables
TABLE_COLUMNS: tuple[tuple[str, str], ...] = tuple(
    (heading, role) for heading, role in (line.split("\t") for line in read_lexicon("table-columns.tsv"))
)
