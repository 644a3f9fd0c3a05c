"""One paging mechanism for the draft CNF: a **page** is a named subset of one section's fields.

Pages are declared, not coded (:data:`FIRM_PAGES`, :data:`LITIGANT_PAGES`): a claims handler gets
pages of one topic each ("The claimant", "The claimant's address", "The accident", …), the
unrepresented claimant one question a page ("What is your name?", "What is your address?", …). Both
lists are read by the same code:

* a page names **paths** relative to its section (``""`` is the whole section); each field (a leaf, or
  a repeated group as a whole) belongs to the page whose path names it most precisely, so a broad path
  ("claimantDetails") takes what the more precise pages ("claimantDetails.personalDetails.address")
  leave. A path the claim type's form lacks is ignored (one list serves RTA and EL/ELD/PL); a page left
  with no field is dropped; a field no page names goes to an automatic last page of its section
  ("Other details"), so nothing is ever out of reach (a test keeps the declared lists complete).
* the page's form is the section's form pruned to the page's fields (``presentation.form_tree`` nodes,
  bound and parsed by ``web.claims.schema_form`` as before);
* saving a page (:func:`merge`) writes only the page's fields into the stored section — the rest of
  the section is kept as stored — and the caller saves the section through ``drafts.update_draft``
  (the one door for a draft's changes);
* the draft's problems (``drafts.draft_problems``) are shared out to the pages whose fields they
  concern (:func:`problems_on`): a page shows its own, the check page links each to its page's field.

Nothing here knows a business rule (what is required, what is valid): ``perform``/``drafts`` decide.
"""

from __future__ import annotations

import copy
import dataclasses
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Any

from claimsportal.presentation.cnf import sections
from claimsportal.presentation.form_tree import Node, template_path
from claimsportal.protocols.errors import ErrorDetail
from claimsportal.web.claims.schema_form import FormSettings

FIRM = "firm"
LITIGANT = "litigant"
OTHER_KEY = "other-details"


@dataclass(frozen=True)
class PageSpec:
    """A page as declared: its section, its key in the URL, its heading (a topic or a question),
    the paths of its fields relative to the section, and (the litigant's) an intro and a part."""

    section: str
    key: str
    title: str
    paths: tuple[str, ...]
    intro: str = ""
    part: str = ""


def _p(section: str, key: str, title: str, *paths: str, intro: str = "", part: str = "") -> PageSpec:
    return PageSpec(section, key, title, paths, intro, part)


_CCD = "claimAndClaimantDetails"
_MED = "medicalDetails"
_REP = "repairsAndAlternativeVehicleProvision"
_ACC = "accidentData"
_APP = "applicationData"

# A claims handler's pages: one topic each. Sections not listed are one page (they are short).
FIRM_PAGES: tuple[PageSpec, ...] = (
    _p(_CCD, "claimant", "The claimant", "claimantDetails"),
    _p(_CCD, "claimant-address", "The claimant's address", "claimantDetails.personalDetails.address"),
    _p(_CCD, "claimant-vehicle", "The claimant's vehicle", "claimantDetails.vehicle"),
    _p(
        _CCD,
        "claimant-employment",
        "The claimant's employment",
        "claimantDetails.employmentPeriod",
        "claimantDetails.exposurePeriod",
    ),
    _p(_CCD, "representative", "Your firm's details", "claimantRepresentative"),
    _p(
        _CCD,
        "referral",
        "Where the claimant heard of you",
        "claimantRepresentative.referralSourceInfo",
    ),
    _p(_CCD, "defendant", "The defendant", "defendantDetails"),
    _p(_CCD, "defendant-business", "The defendant's business", "defendantDetails.companyDetails"),
    _p(_CCD, "defendant-vehicle", "The defendant's vehicle", "defendantDetails.vehicle"),
    _p(
        _CCD,
        "defendant-insurer",
        "The defendant's insurer",
        "defendantDetails.insurerInformation",
        "defendantDetails.policyNumberReference",
        "defendantDetails.insurerFound",
    ),
    _p(_MED, "injury", "The injury", "injury"),
    _p(
        _MED,
        "time-off",
        "Time off work",
        "injury.timeOffRequired",
        "injury.timeOffPeriod",
        "injury.stillOffWork",
    ),
    _p(
        _MED,
        "medical-attention",
        "Medical attention and hospital",
        "injury.medicalAttentionSeeking",
        "injury.medicalAttentionFirstDate",
        "injury.hospitalAttendance",
        "injury.overnightDetention",
        "injury.daysNumber",
        "hospital",
    ),
    _p(_MED, "rehabilitation", "Rehabilitation", "rehabilitation"),
    _p(_REP, "repairs", "Repairs", "repairs"),
    _p(_REP, "alternative-vehicle", "Alternative vehicle", "alternativeVehicleProvision"),
    _p(_ACC, "accident", "The accident", "accidentDetails"),
    _p(_ACC, "driver", "The driver", "accidentDetails.driver"),
    _p(_ACC, "owner", "The owner of the vehicle", "accidentDetails.owner"),
    _p(
        _ACC,
        "vehicle",
        "The vehicle and its insurer",
        "accidentDetails.vehicle",
        "accidentDetails.insuranceCompanyInformatiion",
    ),
    _p(
        _ACC,
        "conditions",
        "Weather and road conditions",
        "accidentDetails.weatherConditions",
        "accidentDetails.roadConditions",
    ),
    _p(
        _ACC,
        "circumstances",
        "Circumstances and the police",
        "accidentDetails.accidentCircumstances",
        "accidentDetails.policeReported",
        "accidentDetails.policeDetails",
    ),
    _p(_ACC, "bus-or-coach", "Bus or coach", "busCoach"),
)

_YOU = "About you"
_HOW = "How to contact you"
_WHO = "Who you are claiming against"
_ACCIDENT = "What happened"
_INJURY = "Your injury"
_VEHICLE = "Your vehicle and repairs"
_SIGN = "Your claim and signing it"

# The unrepresented claimant's pages: one question each, in the order they are asked.
LITIGANT_PAGES: tuple[PageSpec, ...] = (
    _p(
        _CCD,
        "your-name",
        "What is your name?",
        "claimantDetails.personalDetails",
        intro="Give your name as it is on official documents.",
        part=_YOU,
    ),
    _p(
        _CCD,
        "your-date-of-birth",
        "What is your date of birth?",
        "claimantDetails.personalDetails.dateOfBirth",
        part=_YOU,
    ),
    _p(
        _CCD,
        "your-sex",
        "What is your sex?",
        "claimantDetails.personalDetails.sex",
        intro="You do not have to answer this question.",
        part=_YOU,
    ),
    _p(_CCD, "your-address", "What is your address?", "claimantDetails.personalDetails.address", part=_YOU),
    _p(
        _CCD,
        "under-18",
        "Are you under 18?",
        "claimantDetails.childClaim",
        intro="Answer no: you can only use the portal yourself if you are 18 or over.",
        part=_YOU,
    ),
    _p(
        _CCD,
        "national-insurance",
        "What is your National Insurance number?",
        "claimantDetails.nationalInsuranceNumber",
        "claimantDetails.ninComment",
        intro="It is on your payslip or your P60, like QQ 12 34 56 C. If you do not have one, say why.",
        part=_YOU,
    ),
    _p(_CCD, "your-job", "What is your job?", "claimantDetails", part=_YOU),
    _p(
        _CCD,
        "your-employment",
        "When did you work there, and when were you exposed to the cause of your injury?",
        "claimantDetails.employmentPeriod",
        "claimantDetails.exposurePeriod",
        part=_YOU,
    ),
    _p(
        _CCD,
        "askcue",
        "What is your askCUE PI reference?",
        "claimantDetails.askCUEPIReference",
        intro="The reference of the search of earlier personal injury claims made for your claim.",
        part=_YOU,
    ),
    _p(
        _CCD,
        "your-contact-details",
        "How can the insurer contact you?",
        "claimantRepresentative",
        intro="We have filled in what we know. As you have no solicitor, the insurer writes to you at this "
        "address, telephone number and e-mail address. The reference is your claim's own.",
        part=_HOW,
    ),
    _p(
        _CCD,
        "heard-of",
        "How did you hear about the portal?",
        "claimantRepresentative.referralSourceInfo",
        part=_HOW,
    ),
    _p(
        _CCD,
        "defendant-kind",
        "Is the person or organisation you are claiming against a person or a business?",
        "defendantDetails.defendantStatus",
        part=_WHO,
    ),
    _p(
        _CCD,
        "defendant-person",
        "Who is the person you are claiming against?",
        "defendantDetails.personalDetails",
        intro="Answer this if you are claiming against a person.",
        part=_WHO,
    ),
    _p(
        _CCD,
        "defendant-business",
        "Which business are you claiming against?",
        "defendantDetails.companyDetails",
        intro="Answer this if you are claiming against a business, for example your employer.",
        part=_WHO,
    ),
    _p(
        _CCD,
        "defendant-more",
        "What else do you know about them?",
        "defendantDetails",
        part=_WHO,
    ),
    _p(_CCD, "defendant-vehicle", "What was their vehicle?", "defendantDetails.vehicle", part=_WHO),
    _p(
        _CCD,
        "defendant-insurance",
        "What are the details of their insurance?",
        "defendantDetails.insurerInformation",
        "defendantDetails.policyNumberReference",
        intro="The insurer you chose is already filled in. Give the policy number if you know it.",
        part=_WHO,
    ),
    _p(
        _CCD,
        "other-insurers",
        "Did you find any other insurers?",
        "defendantDetails.insurerFound",
        intro="Only if a search found more than one insurer for them.",
        part=_WHO,
    ),
    _p(
        _ACC,
        "accident-when",
        "When did the accident happen?",
        "accidentDetails.accidentDate",
        "accidentDetails.accidentTime",
        part=_ACCIDENT,
    ),
    _p(_ACC, "accident-where", "Where did it happen?", "accidentDetails.accidentLocation", part=_ACCIDENT),
    _p(_ACC, "accident-what", "What happened?", "accidentDetails.accidentDescription", part=_ACCIDENT),
    _p(_ACC, "accident-you", "Where were you, and what were you doing?", "accidentDetails", part=_ACCIDENT),
    _p(
        _ACC,
        "accident-reported",
        "Was it reported?",
        "accidentDetails.incidentReported",
        "accidentDetails.reportedDateAndToWhom",
        "accidentDetails.policeReported",
        "accidentDetails.policeDetails",
        part=_ACCIDENT,
    ),
    _p(_ACC, "accident-driver", "Who was driving?", "accidentDetails.driver", part=_ACCIDENT),
    _p(_ACC, "accident-owner", "Who owns the vehicle?", "accidentDetails.owner", part=_ACCIDENT),
    _p(
        _ACC,
        "accident-vehicle",
        "Which vehicle were you in, and who insures it?",
        "accidentDetails.vehicle",
        "accidentDetails.insuranceCompanyInformatiion",
        part=_ACCIDENT,
    ),
    _p(
        _ACC,
        "accident-weather",
        "What was the weather like?",
        "accidentDetails.weatherConditions",
        part=_ACCIDENT,
    ),
    _p(_ACC, "accident-road", "What was the road like?", "accidentDetails.roadConditions", part=_ACCIDENT),
    _p(
        _ACC,
        "accident-circumstances",
        "How did the accident happen?",
        "accidentDetails.accidentCircumstances",
        part=_ACCIDENT,
    ),
    _p(_ACC, "bus-or-coach", "Was a bus or coach involved?", "busCoach", part=_ACCIDENT),
    _p("otherPartyDetails", "other-people", "Was anyone else involved?", "", part=_ACCIDENT),
    _p(
        "liabilityFunding",
        "why-responsible",
        "Why are they responsible for your injury?",
        "",
        intro="In your own words. Say also how you are paying for the claim, if you are.",
        part=_ACCIDENT,
    ),
    _p(_MED, "injury", "What injuries did you have?", "injury", part=_INJURY),
    _p(
        _MED,
        "time-off",
        "Did you need time off work?",
        "injury.timeOffRequired",
        "injury.timeOffPeriod",
        "injury.stillOffWork",
        part=_INJURY,
    ),
    _p(
        _MED,
        "medical-attention",
        "Have you seen a doctor or other medical professional?",
        "injury.medicalAttentionSeeking",
        "injury.medicalAttentionFirstDate",
        part=_INJURY,
    ),
    _p(
        _MED,
        "hospital",
        "Did you go to hospital?",
        "injury.hospitalAttendance",
        "injury.overnightDetention",
        "injury.daysNumber",
        "hospital",
        part=_INJURY,
    ),
    _p(
        _MED,
        "rehabilitation",
        "Have you had, or do you need, treatment to help you recover?",
        "rehabilitation",
        part=_INJURY,
    ),
    _p(_REP, "repairs", "Are you claiming for damage to your vehicle?", "repairs", part=_VEHICLE),
    _p(
        _REP,
        "alternative-vehicle",
        "Did you need another vehicle while yours was off the road?",
        "alternativeVehicleProvision",
        part=_VEHICLE,
    ),
    _p(_CCD, "your-vehicle", "What is your vehicle?", "claimantDetails.vehicle", part=_VEHICLE),
    _p(
        _APP,
        "claim-value",
        "How much do you think your claim is worth?",
        "claimDetails.claimValue",
        intro="Your best estimate of the total, including your injury and your other losses.",
        part=_SIGN,
    ),
    _p(
        _APP,
        "oic-reference",
        "Have you made a claim on the Official Injury Claim service?",
        "claimDetails.oicReferenceNumber",
        intro="If you have, give its reference.",
        part=_SIGN,
    ),
    _p(
        _APP,
        "signing",
        "Who signs the claim form?",
        "",
        intro="As you have no solicitor, you sign the claim form yourself.",
        part=_SIGN,
    ),
    _p(
        "statementOfTruth",
        "statement-of-truth",
        "Do you confirm that the facts in this claim are true?",
        "",
        intro="You are signing the statement of truth yourself, as the claimant.",
        part=_SIGN,
    ),
)


# The long operation forms' pages (issue 18): one topic each, the section being the payload's one
# block. An operation not listed is one page (its form is short). Nothing is stored between the
# pages: the answers of the other pages travel in the form (``web.claims.operations``).
_S2 = "s2spfRequest"
_ISPF = "ispfRequest"
_S2R = "s2spfResponse"
_CPPF = "cppfRequest"
_CPPFR = "cppfResponse"
_LD = "insurerResponse"
OPERATION_PAGES: dict[str, tuple[PageSpec, ...]] = {
    "sendLiabilityDecision": (  # RTA's insurer response (EL/PL's is short: one page)
        _p(_LD, "liability", "Liability and causation", "liabilityCausation"),
        _p(_LD, "services", "Services the compensator will provide", "providedServices"),
        _p(
            _LD,
            "defendant",
            "The defendant and your capacity",
            "defendantDetails",
            "capacity",
            "otherCapacity",
        ),
    ),
    "addStage2SPFRequest": (  # the offer first: what the pack is for
        _p(_S2, "losses", "The claimant's losses", "claimantLosses"),
        _p(_S2, "comments", "Comments", "agreementData"),
        _p(_S2, "medical-report", "The medical report", "medicalReport"),
        _p(_S2, "representative", "Your contact details", "claimantRepresentative"),
        _p(_S2, "statement-of-truth", "Statement of truth", "statementOfTruth"),
    ),
    "addInterimSPFRequest": (
        _p(_ISPF, "representative", "Your contact details", "claimantRepresentative"),
        _p(
            _ISPF,
            "medical-report",
            "The medical report and the payment asked",
            "medicalReport",
            "interimPayment",
        ),
        _p(_ISPF, "losses", "The claimant's losses to date", "claimantLosses"),
        _p(_ISPF, "statement-of-truth", "Statement of truth", "statementOfTruth"),
    ),
    "addStage2SPFResponse": (  # the claimant's offer answered first
        _p(_S2R, "replies", "Your reply to each head of loss", "defendantReplies", "total"),
        _p(_S2R, "agreement", "The gross amount and your decision", "agreementData"),
        _p(_S2R, "representative", "Your details", "defendantRepresentative"),
    ),
    "addCPPFRequest": (
        _p(_CPPF, "claim", "The claim and the claimant", "claimAndClaimantDetails"),
        _p(_CPPF, "losses", "The claimant's losses", "claimantLosses", "disbursmentDisputed"),
        _p(
            _CPPF,
            "court-pack",
            "Court Proceedings Pack parts A and B",
            "courtProceedingsPackPartA",
            "courtProceedingsPackPartB",
        ),
        _p(
            _CPPF,
            "legal-representative",
            "The defendant's legal representative",
            "defendantLegalRepresentative",
        ),
        _p(_CPPF, "statement-of-truth", "Statement of truth", "statementOfTruth"),
    ),
    "addCPPFResponse": (
        _p(_CPPFR, "representative", "Your details", "defendantRepresentative"),
        _p(_CPPFR, "replies", "Your replies", "defendantReplies", "disbursmentDisputed"),
        _p(
            _CPPFR,
            "court-pack",
            "Court Proceedings Pack parts A and B",
            "courtProceedingsPackPartA",
            "courtProceedingsPackPartB",
        ),
        _p(_CPPFR, "legal-representative", "Your legal representative", "defendantLegalRepresentative"),
    ),
}

# --------------------------------------------------------------------------------------------------
# Pages resolved for a claim type's form
# --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FormPage:
    """A page of one claim type's form: its declaration, its fields (absolute template paths of
    leaves and whole repeated groups), the section's node and the page's own form (``root``: the
    section pruned to the page's fields, from the innermost block that holds them all)."""

    spec: PageSpec
    section_node: Node
    fields: tuple[str, ...]
    root: Node
    required: bool

    @property
    def section(self) -> str:
        return self.spec.section

    @property
    def key(self) -> str:
        return self.spec.key

    @property
    def title(self) -> str:
        return self.spec.title

    @property
    def part(self) -> str:
        return self.spec.part or self.section_node.label

    def owns(self, field: str) -> bool:
        """Whether an error about ``field`` (a concrete path, list indices as numbers) concerns this
        page: it names one of the page's fields, something inside one, or a block holding one."""
        tpath = template_path(field)
        return any(
            tpath == mine or tpath.startswith(mine + ".") or mine.startswith(tpath + ".")
            for mine in self.fields
        )


def _units(node: Node) -> Iterable[Node]:
    """The fields a page may take: leaves, and repeated groups as a whole."""
    if node.kind == "object":
        for child in node.children:
            yield from _units(child)
    else:
        yield node


def _relative(section: Node, node: Node) -> str:
    return node.path[len(section.path) + 1 :] if node.path != section.path else ""


def _covers(path: str, relative: str) -> bool:
    return path == "" or relative == path or relative.startswith(path + ".")


def _prune(node: Node, keep: frozenset[str]) -> Node | None:
    if node.path in keep:
        return node
    if node.kind != "object":
        return None
    children = tuple(kept for child in node.children if (kept := _prune(child, keep)) is not None)
    return dataclasses.replace(node, children=children) if children else None


def _form_root(node: Node) -> Node:
    """The innermost block holding all of the page's fields (its heading is the page's)."""
    while node.kind == "object" and len(node.children) == 1 and node.children[0].kind == "object":
        node = node.children[0]
    return node


def _is_required(section: Node, unit: Node) -> bool:
    """Whether the field is always needed: required itself and every block above it (in the section)."""
    if not section.required:
        return False
    if unit.path == section.path:
        return True
    node = section
    for part in _relative(section, unit).split("."):
        child = node.child(part) if node.kind == "object" else None
        if child is None or not child.required:
            return False
        node = child
    return True


@cache
def form_pages(claim_type: str, audience: str, skipped: frozenset[str] = frozenset()) -> tuple[FormPage, ...]:
    """The pages of the claim type's CNF for ``audience`` (:data:`FIRM` or :data:`LITIGANT`), in
    the order they are asked; ``skipped`` are the template paths the portal fills (never on a page)."""
    declared = FIRM_PAGES if audience == FIRM else LITIGANT_PAGES
    nodes = {node.name: node for node in sections(claim_type)}
    return _resolve(declared, nodes, skipped, form_order=audience == FIRM)


@cache
def operation_pages(
    operation: str, tree: Node, skipped: frozenset[str] = frozenset()
) -> tuple[FormPage, ...]:
    """The pages of an operation's form (``tree``: its payload's form): those declared in
    :data:`OPERATION_PAGES`, in their order; ``()`` when the operation is one page."""
    declared = OPERATION_PAGES.get(operation)
    if not declared:
        return ()
    pages = _resolve(declared, {node.name: node for node in tree.children}, skipped, form_order=False)
    return pages if len(pages) > 1 else ()


def _resolve(
    declared: tuple[PageSpec, ...], nodes: Mapping[str, Node], skipped: frozenset[str], *, form_order: bool
) -> tuple[FormPage, ...]:
    """The declared pages of the blocks ``nodes`` (a form's sections by name), in the form's order
    when ``form_order`` (else as declared); a section no page names is one page."""
    by_section: dict[str, list[PageSpec]] = {}
    for spec in declared:
        by_section.setdefault(spec.section, []).append(spec)
    owned: dict[tuple[str, str], list[Node]] = {}
    extra: list[FormPage] = []
    for section in nodes.values():
        specs = by_section.get(section.name) or [PageSpec(section.name, "details", section.label, ("",))]
        leftover: list[Node] = []
        for unit in _units(section):
            if unit.path in skipped:
                continue
            relative = _relative(section, unit)
            best: PageSpec | None = None
            best_len = -1
            for spec in specs:
                for path in spec.paths:
                    if _covers(path, relative) and len(path) > best_len:
                        best, best_len = spec, len(path)
            if best is None:
                leftover.append(unit)
            else:
                owned.setdefault((section.name, best.key), []).append(unit)
        if leftover:
            spec = PageSpec(section.name, OTHER_KEY, f"{section.label}: other details", ("",))
            extra.append(_page(spec, section, leftover))
    order = [spec for spec in declared if spec.section in nodes]
    order += [
        PageSpec(name, "details", node.label, ("",)) for name, node in nodes.items() if name not in by_section
    ]
    if form_order:  # the form's order: sections in turn, pages as declared within each
        rank = {name: index for index, name in enumerate(nodes)}
        order.sort(key=lambda spec: rank[spec.section])
    pages = [
        _page(spec, nodes[spec.section], owned[(spec.section, spec.key)])
        for spec in order
        if (spec.section, spec.key) in owned
    ]
    for page in extra:  # after the last page of its section
        at = max((i for i, p in enumerate(pages) if p.section == page.section), default=len(pages) - 1)
        pages.insert(at + 1, page)
    return tuple(pages)


def _page(spec: PageSpec, section: Node, units: list[Node]) -> FormPage:
    keep = frozenset(unit.path for unit in units)
    pruned = _prune(section, keep)
    assert pruned is not None
    return FormPage(
        spec=spec,
        section_node=section,
        fields=tuple(unit.path for unit in units),
        root=_form_root(pruned),
        required=any(_is_required(section, unit) for unit in units),
    )


def pages_for(claim_type: str, audience: str, settings: FormSettings) -> tuple[FormPage, ...]:
    return form_pages(claim_type, audience, frozenset(settings.fixed) | settings.hidden)


def find_page(pages: Iterable[FormPage], section: str, key: str) -> FormPage | None:
    return next((p for p in pages if p.section == section and p.key == key), None)


def next_page(pages: tuple[FormPage, ...], page: FormPage) -> FormPage | None:
    index = pages.index(page)
    return pages[index + 1] if index + 1 < len(pages) else None


def previous_page(pages: tuple[FormPage, ...], page: FormPage) -> FormPage | None:
    index = pages.index(page)
    return pages[index - 1] if index > 0 else None


# --------------------------------------------------------------------------------------------------
# Data: the page's part of the stored form, and the page saved into its section
# --------------------------------------------------------------------------------------------------

_ABSENT: Any = object()


def _parts(path: str) -> list[str]:
    return path.split(".")[1:]  # without the leading "cnf"


def _get(data: Any, parts: list[str]) -> Any:
    for part in parts:
        if not isinstance(data, Mapping) or part not in data:
            return _ABSENT
        data = data[part]
    return data


def _set(data: dict[str, Any], parts: list[str], value: Any) -> None:
    for part in parts[:-1]:
        child = data.get(part)
        if not isinstance(child, dict):
            child = {}
            data[part] = child
        data = child
    data[parts[-1]] = value


def _remove(data: dict[str, Any], parts: list[str]) -> None:
    """Remove the value at ``parts``, and the blocks it leaves empty (the section itself is kept)."""
    trail: list[tuple[dict[str, Any], str]] = []
    node: Any = data
    for part in parts[:-1]:
        child = node.get(part) if isinstance(node, dict) else None
        if not isinstance(child, dict):
            return
        trail.append((node, part))
        node = child
    if not isinstance(node, dict) or parts[-1] not in node:
        return
    del node[parts[-1]]
    for parent, part in reversed(trail[1:]):  # never the section (trail[0] is the form's root)
        if parent[part]:
            break
        del parent[part]


def page_data(page: FormPage, cnf: Mapping[str, Any] | None) -> Any:
    """The stored values of the page's fields, as the page's form (``root``) reads them."""
    out: dict[str, Any] = {}
    for field in page.fields:
        value = _get(cnf or {}, _parts(field))
        if value is not _ABSENT:
            _set(out, _parts(field), value)
    found = _get(out, _parts(page.root.path))
    return None if found is _ABSENT else found


def has_answers(page: FormPage, cnf: Mapping[str, Any] | None) -> bool:
    return any(_get(cnf or {}, _parts(field)) not in (_ABSENT, None, "") for field in page.fields)


def merge(page: FormPage, cnf: Mapping[str, Any] | None, parsed: Any) -> Any:
    """The page's section as stored, with the page's fields as ``parsed`` (the page's form's value:
    a field the page left empty is removed, every other field of the section kept); ``None`` when
    nothing of the section is left (a section that is one answer, left empty)."""
    section_parts = _parts(page.section_node.path)
    stored = _get(cnf or {}, section_parts)
    form: dict[str, Any] = {page.section: copy.deepcopy(stored) if isinstance(stored, dict) else {}}
    root_parts = _parts(page.root.path)
    for field in page.fields:
        parts = _parts(field)
        value = _get(parsed, parts[len(root_parts) :]) if parsed is not None else _ABSENT
        if value is _ABSENT:
            _remove(form, parts)
        else:
            _set(form, parts, value)
    return form.get(page.section)


# --------------------------------------------------------------------------------------------------
# Problems shared out to the pages
# --------------------------------------------------------------------------------------------------


def problems_on(page: FormPage, problems: Iterable[ErrorDetail]) -> list[ErrorDetail]:
    """The problems that concern the page; one about a block above the page's form (a section or a
    block left out) is moved onto the page's form, so that each of its required answers shows it."""
    out: list[ErrorDetail] = []
    root = page.root.path
    for problem in problems:
        if not page.owns(problem.field):
            continue
        block = template_path(problem.field)
        if any(mine.startswith(block + ".") for mine in page.fields) and not _needed_below(page, block):
            continue  # a block left out whose needed answers are on other pages
        if root.startswith(block + "."):
            problem = dataclasses.replace(problem, field=root)
        out.append(problem)
    return out


def _needed_below(page: FormPage, block: str) -> bool:
    """Whether one of the page's fields is needed whenever ``block`` is given (it and every block
    between them required)."""
    for mine in page.fields:
        if not mine.startswith(block + "."):
            continue
        node = page.section_node
        needed = True
        for part in mine[len(node.path) + 1 :].split("."):
            child = node.child(part) if node.kind == "object" else None
            if child is None:
                needed = False
                break
            if child.path.startswith(block + ".") and not child.required:
                needed = False
                break
            node = child
        if needed:
            return True
    return False


def page_of(pages: Iterable[FormPage], field: str) -> FormPage | None:
    """The first page an error about ``field`` concerns."""
    return next((page for page in pages if page.owns(field)), None)


def status(page: FormPage, cnf: Mapping[str, Any] | None, problems: Iterable[ErrorDetail]) -> str:
    """completed, incomplete or not-started (for the task list)."""
    if not has_answers(page, cnf):
        return "not-started"
    return "incomplete" if problems_on(page, problems) else "completed"
