"""``getHospitalsList`` (WORKFLOW.md §7.2, §7.3): the NHS hospital sites a claimant representative
picks from for a CNF's hospital block, and the importer that loads them from the NHS Organisation
Data Service (ODS) site files.

Search: ``hospitalName`` matches when every word of it appears somewhere in the name (any order,
case, punctuation and accents ignored: ``"thomas st"`` finds ST THOMAS' HOSPITAL); ``postCode``
matches the start of the postcode, spaces ignored (``"sw1 7"``, ``"SW17"`` and ``"sw17 0qt"`` all
find SW17 0QT). Given both, a site must match both. At least one is required: the real ODS files
hold tens of thousands of sites, and a list of the first few alphabetically would answer nobody's
question. Sites are ordered by name and capped at ``limit`` (50 unless asked, at most 200); closed
sites (a close date on or before today) and sites not yet open are never returned.

Import: the ODS "standard data file" layout, headerless CSV (``ets.csv`` — NHS trust sites —, the
Welsh ``wlhbsite.csv``, or the ``.zip`` they come in), one row per site: column 1 the organisation
code, 2 the name, 5-9 address lines 1-5, 10 the postcode, 11 the open date and 12 the close date
(``YYYYMMDD``); the other columns are read past. The whole file is checked first: any bad row stops
the import with every problem named by line and column, and nothing is written. Then the sites are
upserted by organisation code in batches (``bulk_create(update_conflicts=True)``, PostgreSQL and
SQLite alike), in one transaction: a repeat of the same file changes nothing, and sites missing from
a file are left as they are (several files can be loaded one after the other; the ODS keeps a closed
site in its files with its close date rather than dropping it).
"""

from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any

from django.db import transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F, Lookup, Q, Value
from django.db.models.sql.compiler import SQLCompiler

from claimsportal.core import clock
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.reference.models import Hospital

DEFAULT_LIMIT = 50
MAX_LIMIT = 200
NAME_MAX = 100  # WORKFLOW.md §6: HospitalName and the address lines are str 0-100
POST_CODE_KEY = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]?[0-9][A-Z]{2}$")  # a whole UK postcode, no space
POST_CODE_PREFIX = re.compile(r"^[A-Z0-9]{1,7}$")
ODS_CODE = re.compile(r"^[A-Z0-9]{3,10}$")
ODS_MIN_COLUMNS = 12  # up to the close date
BATCH_SIZE = 1000
PROGRESS_EVERY = 5000
MAX_REPORTED_PROBLEMS = 20
DEMO_SITES_FILE = Path(__file__).resolve().parent / "data" / "nhs_hospital_sites_demo.csv"

_APOSTROPHES = str.maketrans("", "", "'\u2018\u2019`")
_NOT_A_KEY_CHARACTER = re.compile(r"[^A-Z0-9]+")


# --------------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HospitalInfo:
    """``hospital`` of WORKFLOW.md §7.2."""

    name: str
    addressLine1: str
    addressLine2: str
    addressLine3: str
    addressLine4: str
    postCode: str


def name_key(text: str) -> str:
    """The searched form of a name: capitals and digits, single spaces; accents and apostrophes
    dropped (ST THOMAS' → ST THOMAS), other punctuation a word break (WESTBURY-ON-TRYM → WESTBURY ON
    TRYM)."""
    plain = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
    return " ".join(_NOT_A_KEY_CHARACTER.sub(" ", plain.upper().translate(_APOSTROPHES)).split())


def post_code_key(text: str) -> str:
    """A postcode (or its start) without spaces, in capitals."""
    return "".join(text.split()).upper()


class _StartsWith(Lookup):
    """``column`` starts with a key of capitals and digits. PostgreSQL: ``LIKE 'SW17%'``, served by the
    ``varchar_pattern_ops`` index Django adds to an indexed ``CharField``. SQLite: ``GLOB 'SW17*'``,
    served by the ordinary index (its ``LIKE`` ignores case, so it could only use a ``NOCASE`` one)."""

    def _sql(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, operator: str, wildcard: str
    ) -> Any:
        prefix = self.rhs.value if isinstance(self.rhs, Value) else self.rhs
        if not isinstance(prefix, str) or not POST_CODE_PREFIX.match(prefix):
            raise ValueError("a key prefix is capitals and digits only")  # so no wildcard can slip in
        lhs, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs} {operator} %s", (*lhs_params, prefix + wildcard)

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        return self._sql(compiler, connection, "LIKE", "%")

    def as_sqlite(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> Any:
        return self._sql(compiler, connection, "GLOB", "*")


def _invalid(field_name: str, message: str) -> PortalError:
    return PortalError("SCHEMA_INVALID", f"{field_name}: {message}", [ErrorDetail(field_name, message)])


def search_hospitals(
    *, name: str | None = None, post_code: str | None = None, limit: int | None = None
) -> list[HospitalInfo]:
    """Open NHS sites matching the name words and/or the postcode start, by name (see the module)."""
    size = DEFAULT_LIMIT if limit is None else limit
    if not 1 <= size <= MAX_LIMIT:
        raise _invalid("limit", f"must be between 1 and {MAX_LIMIT}")
    words: list[str] = []
    if name and name.strip():
        if len(name.strip()) > NAME_MAX:
            raise _invalid("hospitalName", f"at most {NAME_MAX} characters")
        words = name_key(name).split()
        if not words:
            raise _invalid("hospitalName", "give at least one word of the hospital's name")
    prefix = ""
    if post_code and post_code.strip():
        prefix = post_code_key(post_code)
        if not POST_CODE_PREFIX.match(prefix):
            raise _invalid(
                "postCode", "the start of a UK postcode: at most 7 letters and digits, spaces aside"
            )
    if not words and not prefix:
        raise PortalError(
            "SCHEMA_INVALID",
            "Give hospitalName, postCode or both",
            [
                ErrorDetail("hospitalName", "a word of the hospital's name, or"),
                ErrorDetail("postCode", "the start of its postcode"),
            ],
        )
    today = clock.today()
    rows = Hospital.objects.filter(Q(close_date__isnull=True) | Q(close_date__gt=today), open_date__lte=today)
    for word in dict.fromkeys(words):
        rows = rows.filter(name_key__contains=word)
    if prefix:
        rows = rows.filter(_StartsWith(F("post_code_key"), prefix))
    return [
        HospitalInfo(h.name, h.address_line1, h.address_line2, h.address_line3, h.address_line4, h.post_code)
        for h in rows.order_by("name", "ods_code")[:size]
    ]


# --------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportProblem:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}, {self.field}: {self.message}"


class OdsImportError(ValueError):
    """The file cannot be imported; nothing was written. ``problems`` lists the first bad rows."""

    def __init__(self, problems: list[ImportProblem], total: int) -> None:
        self.problems = problems
        self.total = total
        more = f" (and {total - len(problems)} more)" if total > len(problems) else ""
        listed = "; ".join(str(p) for p in problems)
        super().__init__(f"nothing imported: {total} problem(s) in the file{more}: {listed}")


@dataclass(frozen=True)
class ImportReport:
    """What an import did: ``created`` new sites, ``updated`` changed ones, ``unchanged`` the rest;
    ``closed`` counts the file's sites closed on or before today (stored, never returned)."""

    rows: int
    created: int
    updated: int
    unchanged: int
    closed: int
    dry_run: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "closed": self.closed,
            "dryRun": self.dry_run,
        }


_UPDATED_FIELDS = (
    "name",
    "address_line1",
    "address_line2",
    "address_line3",
    "address_line4",
    "post_code",
    "name_key",
    "post_code_key",
    "open_date",
    "close_date",
)


def _read_text(source: str | os.PathLike[str] | IO[str] | IO[bytes]) -> str:
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if zipfile.is_zipfile(path):
            with zipfile.ZipFile(path) as archive:
                members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
                if len(members) != 1:
                    raise ValueError(
                        f"{path.name}: expected one .csv file in the archive, found {len(members)}"
                    )
                data: str | bytes = archive.read(members[0])
        else:
            data = path.read_bytes()
    else:
        data = source.read()
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise OdsImportError([ImportProblem(line, "file", "not UTF-8 text")], 1) from None


def _ods_date(text: str) -> date:
    return datetime.strptime(text, "%Y%m%d").date()  # noqa: DTZ007 - a calendar date, no time of day


def _clean(text: str) -> str:
    return " ".join(text.split())


def _site(line: int, row: list[str], problems: list[ImportProblem]) -> Hospital | None:
    """The row as a ``Hospital``, or None with its problems appended."""
    found: list[ImportProblem] = []

    def problem(field_name: str, message: str) -> None:
        found.append(ImportProblem(line, field_name, message))

    if len(row) < ODS_MIN_COLUMNS:
        problems.append(
            ImportProblem(
                line,
                "row",
                f"{len(row)} column(s); the ODS layout has at least {ODS_MIN_COLUMNS} "
                "(code, name, grouping, geography, address lines 1-5, postcode, open date, close date)",
            )
        )
        return None
    code = row[0].strip().upper()
    if not ODS_CODE.match(code):
        hint = " (ODS files have no header row)" if line == 1 else ""
        problem("Organisation Code", f"{row[0].strip()!r} is not an ODS code: 3-10 letters and digits{hint}")
    name = _clean(row[1])
    if not name:
        problem("Name", "required")
    elif len(name) > NAME_MAX:
        problem("Name", f"{len(name)} characters; at most {NAME_MAX}")
    lines = [_clean(a) for a in row[4:9] if a.strip()]
    if len(lines) > 4:  # the portal's hospital address has four lines: the last two ODS lines share one
        lines = [*lines[:3], ", ".join(lines[3:])]
    for number, text in enumerate(lines, start=1):
        if len(text) > NAME_MAX:
            problem(f"Address Line {number}", f"{len(text)} characters; at most {NAME_MAX}")
    key = post_code_key(row[9])
    if not POST_CODE_KEY.match(key):
        problem("Postcode", f"{row[9].strip()!r} is not a UK postcode" if row[9].strip() else "required")
    opened: date | None = None
    closed: date | None = None
    try:
        opened = _ods_date(row[10].strip())
    except ValueError:
        problem("Open Date", f"{row[10].strip()!r} is not a date in the form YYYYMMDD")
    if row[11].strip():
        try:
            closed = _ods_date(row[11].strip())
        except ValueError:
            problem("Close Date", f"{row[11].strip()!r} is not a date in the form YYYYMMDD")
    if opened and closed and closed < opened:
        problem("Close Date", f"{closed.isoformat()} is before the open date {opened.isoformat()}")
    if found or opened is None:
        problems.extend(found)
        return None
    lines += [""] * (4 - len(lines))
    return Hospital(
        ods_code=code,
        name=name,
        address_line1=lines[0],
        address_line2=lines[1],
        address_line3=lines[2],
        address_line4=lines[3],
        post_code=f"{key[:-3]} {key[-3:]}",
        name_key=name_key(name)[:200],
        post_code_key=key,
        open_date=opened,
        close_date=closed,
    )


def _parse(text: str, progress: Callable[[str], None], progress_every: int) -> list[Hospital]:
    sites: list[Hospital] = []
    problems: list[ImportProblem] = []
    first_line: dict[str, int] = {}
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            site = _site(line, row, problems)
            if site is not None:
                if site.ods_code in first_line:
                    problems.append(
                        ImportProblem(
                            line,
                            "Organisation Code",
                            f"{site.ods_code} is also on line {first_line[site.ods_code]}",
                        )
                    )
                else:
                    first_line[site.ods_code] = line
                    sites.append(site)
            if line % progress_every == 0:
                progress(f"checked {line} lines")
    except csv.Error as exc:
        problems.append(ImportProblem(reader.line_num, "row", f"not valid CSV ({exc})"))
    if problems:
        raise OdsImportError(problems[:MAX_REPORTED_PROBLEMS], len(problems))
    if not sites:
        raise ValueError("the file holds no sites")
    return sites


def _batches(items: list[Hospital], size: int) -> Iterable[list[Hospital]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def import_ods_sites(
    source: str | os.PathLike[str] | IO[str] | IO[bytes],
    *,
    dry_run: bool = False,
    progress: Callable[[str], None] | None = None,
    batch_size: int = BATCH_SIZE,
    progress_every: int = PROGRESS_EVERY,
) -> ImportReport:
    """Upsert the sites of an ODS site file (a path, a ``.zip`` holding one ``.csv``, or an open file)
    in one transaction; ``dry_run`` checks and counts, then rolls back. Raises ``OdsImportError``
    (a ``ValueError``) naming every bad line, with nothing written."""
    say = progress or (lambda _message: None)
    sites = _parse(_read_text(source), say, progress_every)
    today = clock.today()
    created = updated = 0
    with transaction.atomic():
        written = 0
        for batch in _batches(sites, batch_size):
            stored = {
                row[0]: row[1:]
                for row in Hospital.objects.filter(ods_code__in=[s.ods_code for s in batch]).values_list(
                    "ods_code", *_UPDATED_FIELDS
                )
            }
            changed = [
                s for s in batch if stored.get(s.ods_code) != tuple(getattr(s, f) for f in _UPDATED_FIELDS)
            ]
            created += sum(1 for s in changed if s.ods_code not in stored)
            updated += sum(1 for s in changed if s.ods_code in stored)
            if changed:
                Hospital.objects.bulk_create(
                    changed, update_conflicts=True, unique_fields=["ods_code"], update_fields=_UPDATED_FIELDS
                )
            written += len(batch)
            if len(sites) > progress_every:
                say(f"{written} of {len(sites)} sites stored")
        if dry_run:
            transaction.set_rollback(True)
    return ImportReport(
        rows=len(sites),
        created=created,
        updated=updated,
        unchanged=len(sites) - created - updated,
        closed=sum(1 for s in sites if s.close_date is not None and s.close_date <= today),
        dry_run=dry_run,
    )
