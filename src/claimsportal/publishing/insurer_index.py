"""The versioned RTA Insurer Index (ADMINISTRATION.md §6).

The operator uploads a new index (CSV or XLSX: ``publishing.xlsx``), sees what differs from the
current version (added, removed, changed) and publishes it as version N+1: the live entries (``reference.InsurerIndexEntry``, which the
CNF's compensator picker and ``searchCompensatorsByInsurerIndex`` read) change in the same transaction,
every entry of the version is kept (:class:`InsurerIndexVersion`), and a news item "Insurer Index
Update for RTA A2A Users vN" is posted. Anyone can download any version (CSV and XLSX); the A2A API
states the current version and the changes since a given one. An upload with any error changes nothing
and names each line (row of a sheet) and column wrong.

The index is RTA only: ``organisations.directory.resolve_compensator`` refuses an insurer-index ID for
an EL/PL claim.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Max

from claimsportal.core import clock
from claimsportal.core.audit import audit
from claimsportal.organisations.models import Organisation, User
from claimsportal.protocols.errors import ErrorDetail, PortalError
from claimsportal.publishing import news, xlsx
from claimsportal.publishing.models import InsurerIndexVersion, NewsItem
from claimsportal.reference.models import InsurerIndexEntry

COLUMNS = ("insurerIndexId", "insurerName", "organisationId", "compensatorType", "enabled")
INDEX_ID = re.compile(r"^II[0-9]{4,10}$")
NAME_LENGTH = 120
MAX_ROWS = 20000
MAX_BYTES = 4 * 1024 * 1024
MAX_ERRORS = 50
YES, NO = ("Y", "YES", "TRUE", "1"), ("N", "NO", "FALSE", "0")

Entry = dict[str, Any]  # {"insurerIndexId", "insurerName", "organisationId", "compensatorType", "enabled"}


@dataclass
class Diff:
    added: list[Entry] = field(default_factory=list)
    removed: list[Entry] = field(default_factory=list)
    changed: list[tuple[Entry, Entry]] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    def as_dict(self) -> dict[str, Any]:
        return {
            "added": self.added,
            "removed": self.removed,
            "changed": [{"before": before, "after": after} for before, after in self.changed],
        }


def parse_upload(data: bytes, name: str = "") -> list[Entry]:
    """The entries of an uploaded index, CSV or XLSX (told apart by their first bytes: an XLSX file is
    a ZIP package; a name ending .xlsx or .xls is read as a spreadsheet whatever its bytes)."""
    spreadsheet = data.startswith((xlsx.ZIP_MAGIC, xlsx.OLE_MAGIC)) or name.lower().endswith(
        (".xlsx", ".xls")
    )
    return parse_xlsx(data) if spreadsheet else parse_csv(data)


def _check_size(data: bytes) -> None:
    if len(data) > MAX_BYTES:
        raise PortalError(
            "LIMIT_EXCEEDED", "The file must be 4 MB or smaller", [ErrorDetail("file", "too large")]
        )


def parse_csv(data: bytes) -> list[Entry]:
    """The entries of an uploaded CSV (UTF-8, a header row naming :data:`COLUMNS`), or a
    ``SCHEMA_INVALID`` error with one detail per problem (``line 4, organisationId``: …)."""
    _check_size(data)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise PortalError(
            "SCHEMA_INVALID",
            "The file must be a CSV file in UTF-8",
            [ErrorDetail("file", "is not UTF-8 text")],
        ) from None
    return _parse_rows(enumerate(csv.reader(io.StringIO(text)), start=1), place="line")


def parse_xlsx(data: bytes) -> list[Entry]:
    """The entries of an uploaded XLSX workbook (its first sheet: a header row naming :data:`COLUMNS`,
    as Excel or LibreOffice save it), validated exactly as a CSV file; a file that is not such a
    workbook, or is hostile (a ZIP bomb, a DTD), is refused with the reason (``publishing.xlsx``)."""
    _check_size(data)
    try:
        rows = xlsx.read(data)
    except xlsx.XlsxError as error:
        raise PortalError(
            "SCHEMA_INVALID",
            "The file is not an XLSX workbook the portal can read: nothing was changed",
            [ErrorDetail("file", error.reason)],
        ) from None
    if not rows:
        return _parse_rows([], place="row")
    header = _trimmed(rows[0][1])
    width = len(header)
    # A spreadsheet omits empty cells: a row is as wide as the header unless it has more values.
    shaped = [(rows[0][0], header)] + [
        (number, cells + [""] * (width - len(cells)))
        for number, cells in ((n, _trimmed(c)) for n, c in rows[1:])
    ]
    return _parse_rows(shaped, place="row")


def _trimmed(cells: list[str]) -> list[str]:
    end = len(cells)
    while end and not cells[end - 1].strip():
        end -= 1
    return cells[:end]


def _parse_rows(rows: Iterable[tuple[int, list[str]]], *, place: str) -> list[Entry]:
    """The entries of the rows of a file (numbered as the file numbers them: ``place`` "line" of a CSV
    file, "row" of a sheet), the first being the header; or ``SCHEMA_INVALID`` naming each problem."""
    numbered = iter(rows)
    first = next(numbered, None)
    header = [h.strip() for h in (first[1] if first else [])]
    missing = [c for c in COLUMNS if c not in header]
    unknown = [h for h in header if h not in COLUMNS]
    problems = [ErrorDetail("file", f"column {c} is missing") for c in missing]
    problems += [
        ErrorDetail("file", f"column {h or '(blank)'} is not one of {', '.join(COLUMNS)}") for h in unknown
    ]
    if len(set(header)) != len(header):
        problems.append(ErrorDetail("file", "a column is named twice"))
    if problems:
        raise PortalError("SCHEMA_INVALID", "The file's columns are not those of the Insurer Index", problems)
    organisations = dict(Organisation.objects.values_list("org_id", "org_type"))
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for line, row in numbered:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            problems.append(ErrorDetail(f"{place} {line}", f"has {len(row)} values, not {len(header)}"))
            continue
        values = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        entry, found = _entry(values, f"{place} {line}", organisations)
        problems += found
        first_seen = seen.get(entry["insurerIndexId"])
        if first_seen is not None:
            problems.append(
                ErrorDetail(
                    f"{place} {line}, insurerIndexId",
                    f"{entry['insurerIndexId']} is also on {place} {first_seen}",
                )
            )
        else:
            seen[entry["insurerIndexId"]] = line
        entries.append(entry)
        if len(entries) > MAX_ROWS:
            raise PortalError(
                "LIMIT_EXCEEDED",
                f"The index may have at most {MAX_ROWS} entries",
                [ErrorDetail("file", f"too many {place}s")],
            )
    if not entries and not problems:
        problems.append(ErrorDetail("file", "has no entries"))
    if problems:
        raise PortalError("SCHEMA_INVALID", "The file has errors: nothing was changed", problems[:MAX_ERRORS])
    return sorted(entries, key=lambda e: str(e["insurerIndexId"]))


def _entry(
    values: Mapping[str, str], where: str, organisations: Mapping[str, str]
) -> tuple[Entry, list[ErrorDetail]]:
    problems = []
    index_id, name = values["insurerIndexId"], values["insurerName"]
    org_id, kind, enabled = (
        values["organisationId"],
        values["compensatorType"].upper(),
        values["enabled"].upper(),
    )
    if not INDEX_ID.match(index_id):
        problems.append(ErrorDetail(f"{where}, insurerIndexId", "must be II followed by 4 to 10 digits"))
    if not name:
        problems.append(ErrorDetail(f"{where}, insurerName", "is empty"))
    elif len(name) > NAME_LENGTH:
        problems.append(ErrorDetail(f"{where}, insurerName", f"must be {NAME_LENGTH} characters or fewer"))
    if org_id not in organisations:
        problems.append(
            ErrorDetail(f"{where}, organisationId", f"{org_id or '(blank)'} is not a portal organisation")
        )
    elif organisations[org_id] != Organisation.Type.COMP:
        problems.append(ErrorDetail(f"{where}, organisationId", f"{org_id} is not a compensator"))
    if kind not in ("I", "S", "M"):
        problems.append(
            ErrorDetail(f"{where}, compensatorType", "must be I (insurer), S (self-insured) or M (MIB)")
        )
    if enabled not in YES + NO:
        problems.append(ErrorDetail(f"{where}, enabled", "must be Y or N"))
    entry = {
        "insurerIndexId": index_id,
        "insurerName": name,
        "organisationId": org_id,
        "compensatorType": kind,
        "enabled": enabled in YES,
    }
    return entry, problems


def live_entries() -> list[Entry]:
    rows = InsurerIndexEntry.objects.select_related("organisation").order_by("index_id")
    return [
        {
            "insurerIndexId": e.index_id,
            "insurerName": e.insurer_name,
            "organisationId": e.organisation.org_id,
            "compensatorType": e.compensator_type,
            "enabled": e.enabled,
        }
        for e in rows
    ]


def current_version() -> int:
    """The newest published version; before any, the highest version an entry carries (0: none)."""
    published = InsurerIndexVersion.objects.aggregate(n=Max("number"))["n"]
    if published is not None:
        return int(published)
    return int(InsurerIndexEntry.objects.aggregate(n=Max("version"))["n"] or 0)


def diff(before: Sequence[Entry], after: Sequence[Entry]) -> Diff:
    old = {e["insurerIndexId"]: e for e in before}
    new = {e["insurerIndexId"]: e for e in after}
    result = Diff()
    for key in sorted(new.keys() - old.keys()):
        result.added.append(new[key])
    for key in sorted(old.keys() - new.keys()):
        result.removed.append(old[key])
    for key in sorted(old.keys() & new.keys()):
        if old[key] != new[key]:
            result.changed.append((old[key], new[key]))
    return result


def news_title(number: int) -> str:
    return f"Insurer Index Update for RTA A2A Users v{number}"


def _snapshot_current(number: int) -> None:
    """Keep the entries as they are as version ``number`` (the first publication keeps what was
    loaded before versions were kept, so that it can be downloaded and compared)."""
    if number > 0 and not InsurerIndexVersion.objects.filter(number=number).exists():
        InsurerIndexVersion.objects.create(
            number=number, published_at=clock.real_now(), entries=live_entries(), summary="As loaded"
        )


@transaction.atomic
def publish(entries: Sequence[Entry], *, expected_version: int, by: User) -> InsurerIndexVersion:
    """Publish ``entries`` (as :func:`parse_csv` returned them) as the next version. Refused if the
    current version is no longer ``expected_version`` (another publication since the preview) or if
    nothing differs."""
    if not by.is_operator:
        raise PortalError(
            "FORBIDDEN_PROFILE", "Only the Claims Portal operator can publish the Insurer Index"
        )
    # One publication at a time: the version rows are the lock.
    list(InsurerIndexVersion.objects.select_for_update().order_by("-number")[:1])
    number = current_version()
    if number != expected_version:
        raise PortalError(
            "BUSINESS_RULE",
            f"Version {number} was published since you checked the differences: upload the file again",
            [ErrorDetail("file", "the current version has changed")],
        )
    changes = diff(live_entries(), entries)
    if changes.empty:
        raise PortalError(
            "BUSINESS_RULE",
            "The file is the same as the current version: nothing to publish",
            [ErrorDetail("file", "no differences")],
        )
    _snapshot_current(number)
    new_number = number + 1
    organisations = dict(Organisation.objects.values_list("org_id", "pk"))
    InsurerIndexEntry.objects.filter(index_id__in=[e["insurerIndexId"] for e in changes.removed]).delete()
    for _, after in changes.changed:
        InsurerIndexEntry.objects.filter(index_id=after["insurerIndexId"]).update(
            insurer_name=after["insurerName"],
            organisation_id=organisations[after["organisationId"]],
            compensator_type=after["compensatorType"],
            enabled=after["enabled"],
            version=new_number,
        )
    InsurerIndexEntry.objects.bulk_create(
        [
            InsurerIndexEntry(
                index_id=e["insurerIndexId"],
                insurer_name=e["insurerName"],
                organisation_id=organisations[e["organisationId"]],
                compensator_type=e["compensatorType"],
                enabled=e["enabled"],
                version=new_number,
            )
            for e in changes.added
        ]
    )
    summary = f"{len(changes.added)} added, {len(changes.removed)} removed, {len(changes.changed)} changed"
    version = InsurerIndexVersion.objects.create(
        number=new_number,
        published_at=clock.real_now(),
        published_by=by,
        entries=list(entries),
        summary=summary,
    )
    audit(by, "insurer_index.published", f"v{new_number}", summary=summary)
    news.publish(
        category=NewsItem.Category.UPDATE,
        title=news_title(new_number),
        body=(
            f"Version {new_number} of the RTA Insurer Index is published ({summary}). RTA A2A users must use "
            "the latest version; the RTA index must not be used for EL or PL claims."
        ),
    )
    return version


def version_entries(number: int) -> list[Entry]:
    """The entries of version ``number``; the current entries for the current version when it was
    never snapshotted (loaded before versions were kept)."""
    found = InsurerIndexVersion.objects.filter(number=number).values_list("entries", flat=True).first()
    if found is not None:
        return list(found)
    if number == current_version() and number > 0:
        return live_entries()
    raise PortalError(
        "NOT_FOUND",
        f"There is no version {number} of the Insurer Index",
        [ErrorDetail("since", "unknown version")],
    )


def changes_since(number: int) -> tuple[int, Diff]:
    """The current version and what changed since version ``number``."""
    current = current_version()
    if number > current or number < 0:
        raise PortalError(
            "NOT_FOUND",
            f"There is no version {number} of the Insurer Index",
            [ErrorDetail("since", "unknown version")],
        )
    return current, diff(version_entries(number), version_entries(current))


def _rows(entries: Sequence[Entry]) -> list[list[str]]:
    """The header and one row per entry, as both downloads write them (and an upload reads them)."""
    return [list(COLUMNS)] + [
        [
            e["insurerIndexId"],
            e["insurerName"],
            e["organisationId"],
            e["compensatorType"],
            "Y" if e["enabled"] else "N",
        ]
        for e in entries
    ]


def csv_text(entries: Sequence[Entry]) -> str:
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(_rows(entries))
    return out.getvalue()


def xlsx_bytes(entries: Sequence[Entry], *, number: int) -> bytes:
    """The entries as an XLSX workbook (one sheet, "Insurer Index v<N>"), every cell text."""
    return xlsx.write(_rows(entries), sheet_name=f"Insurer Index v{number}")


def versions() -> list[dict[str, Any]]:
    """Every version that can be downloaded, newest first (the pre-version entries as their version)."""
    rows = [
        {"number": v.number, "published_at": v.published_at, "summary": v.summary}
        for v in InsurerIndexVersion.objects.order_by("-number")
    ]
    current = current_version()
    if current > 0 and not any(r["number"] == current for r in rows):
        rows.insert(0, {"number": current, "published_at": None, "summary": "As loaded"})
    return rows
