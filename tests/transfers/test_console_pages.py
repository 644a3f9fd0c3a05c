"""The transfer pages of the consoles: an Administrator asks, the other organisation's Administrator
agrees, the operator approves and schedules; the dry run before and the report after (and its CSV);
refusals in plain English; other organisations get "not found"."""

from __future__ import annotations

import html
from typing import Any

from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from claimsportal.claims.models import Claim
from claimsportal.core.clock import FixedClock
from claimsportal.organisations.models import User
from claimsportal.transfers import execution, rules
from claimsportal.transfers.models import Transfer
from tests.conftest import World
from tests.transfers.conftest import Admins, cr_claims, working_days_on
from tests.web.signing_in import error_summary, in_section, page


def console(user: User) -> Client:
    client = Client()
    in_section(client, user, "admin")
    return client


def request_fields(other: str, **changes: Any) -> dict[str, Any]:
    when = working_days_on(5)
    fields: dict[str, Any] = {
        "direction": "send",
        "other_organisation": other,
        "other_shown": other,  # the page has shown its name (a claimant firm's typed ID)
        "option": "ALL",
        "destination_branch_id": "001",
        "destination_user_id": "",
        "when_day": str(when.day),
        "when_month": str(when.month),
        "when_year": str(when.year),
        "source_contact_name": "Sam Sender",
        "source_contact_email": "sam@claimant.example",
        "source_contact_phone": "0113 496 0001",
        "destination_contact_name": "Rita Receiver",
        "destination_contact_email": "rita@other.example",
        "destination_contact_phone": "0113 496 0002",
    }
    fields.update(changes)
    return fields


def test_ask_agree_approve_run_and_read_the_report_in_the_consoles(
    world: World, admins: Admins, clock: FixedClock
) -> None:
    claims = cr_claims(world, active=2)
    sender = console(admins.cr)
    assert "Claims transfers" in page(sender.get("/console/"))
    answer = sender.post("/console/transfers/new/", request_fields(world.other_cr.org_id))
    assert answer.status_code == 302, error_summary(answer)
    transfer = Transfer.objects.get()
    assert answer["Location"] == f"/console/transfers/{transfer.reference}/"

    detail = page(sender.get(answer["Location"]))
    assert "2 claims would move; 2 would be skipped." in detail
    assert rules.Skip.DRAFT in detail and rules.Skip.ENDED in detail
    assert "about 100 claims" in detail, "the small-transfer warning"
    assert "Agree to the transfer" not in detail, "the requester does not agree to their own request"

    receiver = console(admins.other_cr)
    assert "Agree to the transfer" in page(receiver.get(answer["Location"]))
    assert receiver.post(f"/console/transfers/{transfer.reference}/agree/").status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.AGREED

    operator = console(admins.operator)
    assert transfer.reference in page(operator.get("/console/transfers/"))
    too_soon = working_days_on(4)
    refused = operator.post(
        f"/console/transfers/{transfer.reference}/approve/",
        {"when_day": too_soon.day, "when_month": too_soon.month, "when_year": too_soon.year},
    )
    assert refused.status_code == 200 and "cannot be scheduled before" in error_summary(refused)
    day = working_days_on(5)
    approved = operator.post(
        f"/console/transfers/{transfer.reference}/approve/",
        {"when_day": day.day, "when_month": day.month, "when_year": day.year},
    )
    assert approved.status_code == 302
    transfer.refresh_from_db()
    assert (transfer.status, transfer.scheduled_for) == (Transfer.Status.APPROVED, day)
    assert len(mail.outbox) == 3

    execution.run_transfer(transfer.pk, now=clock.now())
    assert Claim.objects.filter(cr_organisation=world.other_cr).count() == 2
    report = page(receiver.get(f"/console/transfers/{transfer.reference}/"))
    assert "2 moved, 2 skipped, 0 failed" in report and f"{claims.draft:08d}" in report
    download = sender.get(f"/console/transfers/{transfer.reference}/report.csv")
    assert download["Content-Type"].startswith("text/csv")
    lines = b"".join(download.streaming_content).decode().splitlines()  # type: ignore[attr-defined]
    assert lines[0] == "applicationId,outcome,reason,phase" and len(lines) == 5
    assert sum(line.split(",")[1] == "MOVED" for line in lines[1:]) == 2


def test_other_organisations_and_non_administrators_are_refused(world: World, admins: Admins) -> None:
    answer = console(admins.cr).post("/console/transfers/new/", request_fields(world.other_cr.org_id))
    assert answer.status_code == 302
    reference = Transfer.objects.get().reference
    outsider = console(admins.comp)
    assert outsider.get(f"/console/transfers/{reference}/").status_code == 404
    assert outsider.post(f"/console/transfers/{reference}/agree/").status_code == 404
    assert reference not in page(outsider.get("/console/transfers/"))
    handler = console(world.cr_handler)
    assert handler.get("/console/transfers/").status_code == 403
    assert handler.get("/console/transfers/new/").status_code == 403
    assert console(admins.other_cr).get(f"/console/transfers/{reference}/approve/").status_code == 403
    assert console(admins.cr).post(f"/console/transfers/{reference}/agree/").status_code == 302
    assert Transfer.objects.get().status == Transfer.Status.REQUESTED, "the requester cannot agree"


def test_a_request_to_a_compensator_is_refused_in_plain_english(world: World, admins: Admins) -> None:
    answer = console(admins.cr).post("/console/transfers/new/", request_fields(world.comp.org_id))
    assert answer.status_code == 200
    assert "only be transferred between organisations of the same type" in error_summary(answer)
    assert not Transfer.objects.exists()


def test_a_bad_list_of_claims_is_refused_row_by_row(world: World, admins: Admins) -> None:
    upload = SimpleUploadedFile(
        "claims.csv", b"applicationId,destinationBranch\n12x,001\n5,777\n", "text/csv"
    )
    answer = console(admins.cr).post(
        "/console/transfers/new/", request_fields(world.other_cr.org_id, option="LIST", claims_file=upload)
    )
    assert answer.status_code == 200
    summary = html.unescape(error_summary(answer))
    assert "Row 2: the application ID '12x' must be 1 to 8 digits" in summary
    assert "Row 3: the receiving organisation has no branch '777'" in summary
    assert not Transfer.objects.exists()


def test_a_decline_needs_a_reason_and_tells_both_contacts(world: World, admins: Admins) -> None:
    console(admins.cr).post("/console/transfers/new/", request_fields(world.other_cr.org_id))
    reference = Transfer.objects.get().reference
    receiver = console(admins.other_cr)
    empty = receiver.post(f"/console/transfers/{reference}/decline/", {"reason": ""})
    assert "Enter the reason" in error_summary(empty)
    done = receiver.post(f"/console/transfers/{reference}/decline/", {"reason": "Not our book of claims"})
    assert done.status_code == 302
    assert Transfer.objects.get().status == Transfer.Status.DECLINED
    assert set(mail.outbox[-1].to) == {"sam@claimant.example", "rita@other.example"}
