"""The uploaded list of claims (option LIST): a CSV file of application IDs, each with the destination
branch and, optionally, the destination user. Every bad row is reported with its line number, and
nothing is kept unless the whole file is good.

Format (a header line is optional)::

    applicationId,destinationBranch,destinationUser
    00001234,001,jane.smith
    1235,002,
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass

from claimsportal.organisations.models import Branch, Organisation, User
from claimsportal.protocols.errors import ErrorDetail, PortalError

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 200_000
MAX_ERRORS = 50  # reported at most; the message says how many more
APPLICATION_ID = re.compile(r"^[0-9]{1,8}$")
FIELD = "claims"


@dataclass(frozen=True)
class ListedClaim:
    row: int
    application_id: int
    destination_branch: Branch
    destination_user: User | None


def _decode(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    if len(data) > MAX_BYTES:
        raise _refused([f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB"])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _refused(["The file is not a CSV file in UTF-8 text"]) from None


def _refused(problems: list[str], more: int = 0) -> PortalError:
    count = len(problems) + more
    message = problems[0] if count == 1 else f"The list of claims has {count} problems"
    details = [ErrorDetail(FIELD, p) for p in problems]
    if more:
        details.append(ErrorDetail(FIELD, f"… and {more} more"))
    return PortalError("SCHEMA_INVALID", message, details)


def parse(data: bytes | str, destination: Organisation) -> list[ListedClaim]:
    """The listed claims, or a SCHEMA_INVALID error naming every bad row (first ``MAX_ERRORS``)."""
    text = _decode(data)
    branches = {b.branch_id: b for b in Branch.objects.filter(organisation=destination)}
    users = {u.user_id.lower(): u for u in User.objects.filter(organisation=destination)}
    problems: list[str] = []
    more = 0

    def problem(row: int, message: str) -> None:
        nonlocal more
        if len(problems) < MAX_ERRORS:
            problems.append(f"Row {row}: {message}")
        else:
            more += 1

    listed: list[ListedClaim] = []
    seen: dict[int, int] = {}
    rows = csv.reader(io.StringIO(text))
    for number, cells in enumerate(rows, start=1):
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if number == 1 and cells[0].replace(" ", "").lower() in ("applicationid", "application id"):
            continue
        if len(listed) + len(problems) + more >= MAX_ROWS:
            raise _refused([f"The list has more than {MAX_ROWS:,} claims; split it into several transfers"])
        if len(cells) < 2 or len(cells) > 3:
            problem(number, "give the application ID, the destination branch ID and optionally a user ID")
            continue
        raw_id, raw_branch = cells[0], cells[1]
        raw_user = cells[2] if len(cells) == 3 else ""
        if not APPLICATION_ID.match(raw_id):
            problem(number, f"the application ID {raw_id[:20]!r} must be 1 to 8 digits")
            continue
        application_id = int(raw_id)
        if application_id in seen:
            problem(number, f"claim {application_id:08d} is already listed on row {seen[application_id]}")
            continue
        seen[application_id] = number
        branch = branches.get(raw_branch) or branches.get(raw_branch.zfill(3))
        if branch is None:
            problem(number, f"the receiving organisation has no branch {raw_branch[:20]!r}")
            continue
        if not branch.enabled:
            problem(number, f"branch {branch.branch_id} of the receiving organisation is closed")
            continue
        user = None
        if raw_user:
            user = users.get(raw_user.lower())
            if user is None:
                problem(number, f"the receiving organisation has no user {raw_user[:50]!r}")
                continue
            if not user.is_enabled or not user.is_active:
                problem(number, f"user {user.user_id} of the receiving organisation is disabled")
                continue
        listed.append(ListedClaim(number, application_id, branch, user))
    if problems or more:
        raise _refused(problems, more)
    if not listed:
        raise _refused(["The list of claims is empty"])
    return listed
