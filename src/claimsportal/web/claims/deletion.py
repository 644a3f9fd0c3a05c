"""GDPR "Delete claim" on the web (custody.gdpr): a reason, a confirmation, then the claim is gone for
everyone; only users holding the ADVANCED USER Delete Claims profile see the link and the page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from claimsportal.claims import selectors as claim_selectors
from claimsportal.claims.acting import Actor, format_application_id
from claimsportal.custody import gdpr
from claimsportal.custody.models import GdprReason
from claimsportal.protocols.errors import PortalError
from claimsportal.web.claims.acting import user_of, with_actor


@with_actor
def claim_delete(request: HttpRequest, actor: Actor, application_id: str) -> HttpResponse:
    if not gdpr.may_delete(user_of(request)):
        raise Http404("No such claim")
    claim = claim_selectors.get_visible_claim(actor, application_id)
    number = format_application_id(claim.pk)
    errors: dict[str, str] = {}
    chosen = ""
    if request.method == "POST":
        chosen = str(request.POST.get("reason", ""))
        if chosen not in GdprReason.values:
            errors["reason"] = "Select why the claim must be deleted"
        if request.POST.get("confirm") != "yes":
            errors["confirm"] = "Confirm that you understand the claim cannot be restored"
        if not errors:
            try:
                done = gdpr.delete_claim(actor, claim.pk, request.POST.get("activityEngineGuid"), chosen)
            except PortalError as error:
                if error.code == "STALE_ACTIVITY_GUID":
                    errors["reason"] = "The claim changed while you were on this page: check it and try again"
                else:
                    raise
            else:
                return render(
                    request,
                    "web/claims/claim_deleted.html",
                    {"application_id": number, "purge_on": done.purge_on},
                )
    return render(
        request,
        "web/claims/claim_delete.html",
        {
            "claim": claim,
            "application_id": number,
            "reasons": GdprReason.choices,
            "chosen": chosen,
            "field_errors": errors,
            "errors": [
                {"href": "#confirm" if name == "confirm" else "#reason", "text": text}
                for name, text in errors.items()
            ],
            "purge_days": gdpr.purge_days(),
        },
        status=422 if errors else 200,
    )
