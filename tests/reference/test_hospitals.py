"""getHospitalsList's data: the ODS site-file importer (upsert, closed sites, bad rows) and the search."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claimsportal.core.clock import FixedClock
from claimsportal.core.demo import seed_demo
from claimsportal.protocols.errors import PortalError
from claimsportal.reference.hospitals import (
    DEMO_SITES_FILE,
    MAX_LIMIT,
    HospitalInfo,
    OdsImportError,
    import_ods_sites,
    search_hospitals,
)
from claimsportal.reference.models import Hospital

pytestmark = pytest.mark.usefixtures("clock")  # Monday 2 March 2026

LONDON = ("1 HIGH STREET", "", "LONDON", "", "")
ROYAL_INFIRMARIES = [
    "BRISTOL ROYAL INFIRMARY",
    "LEICESTER ROYAL INFIRMARY",
    "MANCHESTER ROYAL INFIRMARY",
    "ROYAL VICTORIA INFIRMARY",
]


def ods_row(
    code: str,
    name: str,
    *,
    lines: tuple[str, ...] = LONDON,
    postcode: str = "SW1A 1AA",
    opened: str = "19740401",
    closed: str = "",
) -> list[str]:
    """One line of the ODS standard layout (27 columns, headerless)."""
    return [code, name, "Y56", "Q71", *lines, postcode, opened, closed, *[""] * 9, "0", *[""] * 5]


def ods_file(*rows: list[str]) -> io.StringIO:
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    out.seek(0)
    return out


def names(found: list[HospitalInfo]) -> list[str]:
    return [h.name for h in found]


@pytest.fixture
def demo(db: None) -> None:
    report = import_ods_sites(DEMO_SITES_FILE)
    assert report.created == report.rows == 36


# --------------------------------------------------------------------------------------------------
# Import
# --------------------------------------------------------------------------------------------------


def test_the_demo_file_is_in_the_ods_layout_and_a_second_import_changes_nothing(demo: None) -> None:
    again = import_ods_sites(DEMO_SITES_FILE)
    assert (again.created, again.updated, again.unchanged, again.closed) == (0, 0, 36, 0)
    site = Hospital.objects.get(name="ST GEORGE'S HOSPITAL")
    assert (site.address_line1, site.address_line2, site.address_line3, site.post_code) == (
        "BLACKSHAW ROAD",
        "TOOTING",
        "LONDON",
        "SW17 0QT",
    )
    assert site.open_date == date(1974, 4, 1)
    assert site.close_date is None
    assert site.name_key == "ST GEORGES HOSPITAL"
    assert site.post_code_key == "SW170QT"


def test_an_import_upserts_by_organisation_code_and_leaves_sites_missing_from_the_file(db: None) -> None:
    first = import_ods_sites(
        ods_file(
            ods_row("AAA01", "ALPHA HOSPITAL", postcode="sw1a1aa"),
            ods_row("BBB01", "BETA HOSPITAL", postcode=" e1  1fr "),
            ods_row("CCC01", "GAMMA HOSPITAL"),
        )
    )
    assert (first.rows, first.created, first.updated, first.unchanged) == (3, 3, 0, 0)
    assert Hospital.objects.get(ods_code="AAA01").post_code == "SW1A 1AA"
    assert Hospital.objects.get(ods_code="BBB01").post_code == "E1 1FR"

    second = import_ods_sites(
        ods_file(
            ods_row("aaa01", "ALPHA  HOSPITAL (NEW WING)", postcode="SW1A 2AA"),  # changed
            ods_row("BBB01", "BETA HOSPITAL", postcode="E1 1FR"),  # the same
            ods_row("DDD01", "DELTA HOSPITAL"),  # new
        )
    )
    assert (second.rows, second.created, second.updated, second.unchanged) == (3, 1, 1, 1)
    alpha = Hospital.objects.get(ods_code="AAA01")
    assert (alpha.name, alpha.post_code, alpha.name_key) == (
        "ALPHA HOSPITAL (NEW WING)",
        "SW1A 2AA",
        "ALPHA HOSPITAL NEW WING",
    )
    assert Hospital.objects.filter(ods_code="CCC01").exists(), "a site missing from a file is kept"
    assert Hospital.objects.count() == 4


def test_five_ods_address_lines_become_the_portals_four_and_empty_lines_close_up(db: None) -> None:
    import_ods_sites(
        ods_file(
            ods_row("AAA01", "ALPHA", lines=("UNIT 1", "HIGH STREET", "ANYTOWN", "SOMERSET", "ENGLAND")),
            ods_row("BBB01", "BETA", lines=("", "HIGH STREET", "", "ANYTOWN", "")),
        )
    )
    alpha = Hospital.objects.get(ods_code="AAA01")
    assert [alpha.address_line1, alpha.address_line2, alpha.address_line3, alpha.address_line4] == [
        "UNIT 1",
        "HIGH STREET",
        "ANYTOWN",
        "SOMERSET, ENGLAND",
    ]
    beta = Hospital.objects.get(ods_code="BBB01")
    assert [beta.address_line1, beta.address_line2, beta.address_line3, beta.address_line4] == [
        "HIGH STREET",
        "ANYTOWN",
        "",
        "",
    ]


def test_closed_sites_are_stored_counted_and_never_returned(db: None) -> None:
    report = import_ods_sites(
        ods_file(
            ods_row("AAA01", "ROYAL OPEN HOSPITAL"),
            ods_row("AAA02", "ROYAL CLOSED HOSPITAL", closed="20200331"),
            ods_row("AAA03", "ROYAL CLOSING TODAY HOSPITAL", closed="20260302"),
            ods_row("AAA04", "ROYAL CLOSING NEXT MONTH HOSPITAL", closed="20260401"),
            ods_row("AAA05", "ROYAL NOT YET OPEN HOSPITAL", opened="20260303"),
        )
    )
    assert report.closed == 2
    assert Hospital.objects.count() == 5
    assert names(search_hospitals(name="royal")) == [
        "ROYAL CLOSING NEXT MONTH HOSPITAL",
        "ROYAL OPEN HOSPITAL",
    ]


def test_a_site_drops_out_of_the_search_on_its_close_date_or_when_a_later_file_closes_it(
    db: None, clock: FixedClock
) -> None:
    import_ods_sites(
        ods_file(ods_row("AAA01", "ALPHA HOSPITAL"), ods_row("AAA02", "ALPHA ANNEX", closed="20260305"))
    )
    assert names(search_hospitals(name="alpha")) == ["ALPHA ANNEX", "ALPHA HOSPITAL"]
    clock.advance(timedelta(days=3))  # Thursday 5 March 2026
    assert names(search_hospitals(name="alpha")) == ["ALPHA HOSPITAL"]
    report = import_ods_sites(ods_file(ods_row("AAA01", "ALPHA HOSPITAL", closed="20260227")))
    assert (report.updated, report.closed) == (1, 1)
    assert search_hospitals(name="alpha") == []


BAD_ROWS = [
    pytest.param(
        ods_row("AAA02", "BETA", postcode="SW1A"),
        "line 2, Postcode: 'SW1A' is not a UK postcode",
        id="postcode",
    ),
    pytest.param(ods_row("AAA02", "BETA", postcode=""), "line 2, Postcode: required", id="no-postcode"),
    pytest.param(ods_row("AAA02", ""), "line 2, Name: required", id="no-name"),
    pytest.param(ods_row("AAA02", "B" * 101), "line 2, Name: 101 characters; at most 100", id="long-name"),
    pytest.param(ods_row("A-2", "BETA"), "line 2, Organisation Code: 'A-2' is not an ODS code", id="code"),
    pytest.param(
        ods_row("AAA01", "BETA"), "line 2, Organisation Code: AAA01 is also on line 1", id="duplicate"
    ),
    pytest.param(
        ods_row("AAA02", "BETA", opened="1974-04-01"),
        "line 2, Open Date: '1974-04-01' is not a date in the form YYYYMMDD",
        id="open-date",
    ),
    pytest.param(
        ods_row("AAA02", "BETA", closed="20261301"),
        "line 2, Close Date: '20261301' is not a date in the form YYYYMMDD",
        id="close-date",
    ),
    pytest.param(
        ods_row("AAA02", "BETA", opened="20200101", closed="20191231"),
        "line 2, Close Date: 2019-12-31 is before the open date 2020-01-01",
        id="closed-before-opened",
    ),
    pytest.param(
        ["AAA02", "BETA", "Y56"], "line 2, row: 3 column(s); the ODS layout has at least 12", id="short"
    ),
]


@pytest.mark.parametrize(("bad", "message"), BAD_ROWS)
def test_a_bad_row_names_its_line_and_column_and_nothing_is_written(
    db: None, bad: list[str], message: str
) -> None:
    import_ods_sites(ods_file(ods_row("OLD01", "ALREADY THERE HOSPITAL")))
    with pytest.raises(OdsImportError) as raised:
        import_ods_sites(
            ods_file(
                ods_row("AAA01", "ALPHA HOSPITAL"),
                bad,
                ods_row("AAA03", "GAMMA HOSPITAL"),
                ods_row("OLD01", "RENAMED HOSPITAL"),
            )
        )
    assert message in str(raised.value)
    assert str(raised.value).startswith("nothing imported")
    assert list(Hospital.objects.values_list("ods_code", "name")) == [("OLD01", "ALREADY THERE HOSPITAL")]


def test_every_bad_row_is_reported_at_once(db: None) -> None:
    with pytest.raises(OdsImportError) as raised:
        import_ods_sites(
            ods_file(
                ods_row("AAA01", "ALPHA", postcode="NOT A POSTCODE"),
                ods_row("AAA02", "BETA"),
                ods_row("AAA03", "", opened="yesterday"),
            )
        )
    assert [(p.line, p.field) for p in raised.value.problems] == [
        (1, "Postcode"),
        (3, "Name"),
        (3, "Open Date"),
    ]
    assert Hospital.objects.count() == 0


def test_a_header_row_and_text_that_is_not_utf8_are_explained(db: None) -> None:
    header = ["Organisation Code", "Name", *["x"] * 25]
    with pytest.raises(OdsImportError, match=r"line 1, Organisation Code: .*ODS files have no header row"):
        import_ods_sites(ods_file(header, ods_row("AAA01", "ALPHA")))
    latin1 = io.BytesIO(b'"AAA01","ALPHA"\n"AAA02","CAF\xc9"\n')
    with pytest.raises(OdsImportError, match="line 2, file: not UTF-8 text"):
        import_ods_sites(latin1)
    with pytest.raises(ValueError, match="the file holds no sites"):
        import_ods_sites(io.StringIO("\n\n"))
    assert Hospital.objects.count() == 0


def test_large_files_report_progress_by_batch(db: None) -> None:
    messages: list[str] = []
    rows = [ods_row(f"AAA{n:02d}", f"HOSPITAL {n}") for n in range(1, 6)]
    report = import_ods_sites(ods_file(*rows), progress=messages.append, batch_size=2, progress_every=2)
    assert report.created == 5
    assert messages == [
        "checked 2 lines",
        "checked 4 lines",
        "2 of 5 sites stored",
        "4 of 5 sites stored",
        "5 of 5 sites stored",
    ]


def test_a_dry_run_counts_and_writes_nothing(db: None) -> None:
    report = import_ods_sites(ods_file(ods_row("AAA01", "ALPHA")), dry_run=True)
    assert (report.created, report.dry_run) == (1, True)
    assert Hospital.objects.count() == 0


def _run(*args: str) -> dict[str, Any]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_hospitals", *args, stdout=out, stderr=err)
    result: dict[str, Any] = json.loads(out.getvalue())
    return result


def test_the_command_reads_a_csv_or_the_zip_it_comes_in(db: None, tmp_path: Path) -> None:
    sites = tmp_path / "ets.csv"
    sites.write_text(ods_file(ods_row("AAA01", "ALPHA"), ods_row("AAA02", "BETA")).getvalue())
    assert _run(str(sites), "--dry-run") == {
        "file": str(sites),
        "rows": 2,
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "closed": 0,
        "dryRun": True,
    }
    assert Hospital.objects.count() == 0
    assert _run(str(sites))["created"] == 2
    archive = tmp_path / "ets.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("ets.csv", ods_file(ods_row("AAA01", "ALPHA"), ods_row("AAA03", "GAMMA")).getvalue())
    result = _run(str(archive))
    assert (result["created"], result["unchanged"]) == (1, 1)


def test_the_command_refuses_a_bad_file_with_the_line_and_writes_nothing(db: None, tmp_path: Path) -> None:
    sites = tmp_path / "ets.csv"
    sites.write_text(ods_file(ods_row("AAA01", "ALPHA"), ods_row("AAA02", "BETA", postcode="XX")).getvalue())
    with pytest.raises(CommandError, match="line 2, Postcode: 'XX' is not a UK postcode"):
        _run(str(sites))
    with pytest.raises(CommandError, match="no such file"):
        _run(str(tmp_path / "missing.csv"))
    assert Hospital.objects.count() == 0


def test_demo_seeding_loads_the_demo_sites_once_and_never_over_real_ones(db: None) -> None:
    seed_demo()
    assert Hospital.objects.count() == 36
    Hospital.objects.filter(ods_code="DM001").delete()
    seed_demo()  # idempotent: sites are there, so the demo file is not loaded again
    assert Hospital.objects.count() == 35
    Hospital.objects.all().delete()
    import_ods_sites(ods_file(ods_row("RRV03", "UNIVERSITY COLLEGE HOSPITAL", postcode="NW1 2BU")))
    seed_demo()
    assert list(Hospital.objects.values_list("ods_code", flat=True)) == ["RRV03"]


# --------------------------------------------------------------------------------------------------
# Search
# --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("St George's", ["ST GEORGE'S HOSPITAL"]),
        ("st georges", ["ST GEORGE'S HOSPITAL"]),
        ("GEORGE ST", ["ST GEORGE'S HOSPITAL"]),  # every word, any order
        ("hallam", ["ROYAL HALLAMSHIRE HOSPITAL"]),  # part of a word
        ("  royal   infirmary ", ROYAL_INFIRMARIES),
        ("royal-infirmary.", ROYAL_INFIRMARIES),
        ("Addenbrooke\u2019s", ["ADDENBROOKE'S HOSPITAL"]),  # a typographic apostrophe
        ("ysbyty gwynedd", ["YSBYTY GWYNEDD"]),
        ("royal zebra", []),
    ],
)
def test_the_name_matches_when_every_word_appears_in_it(demo: None, query: str, expected: list[str]) -> None:
    assert names(search_hospitals(name=query)) == expected


@pytest.mark.parametrize(
    ("post_code", "expected"),
    [
        ("SW17 0QT", ["ST GEORGE'S HOSPITAL"]),
        ("sw170qt", ["ST GEORGE'S HOSPITAL"]),
        ("sw17 0", ["ST GEORGE'S HOSPITAL"]),
        ("SE1", ["GUY'S HOSPITAL", "ST THOMAS' HOSPITAL"]),  # not KING'S in SE5
        ("LL", ["WREXHAM MAELOR HOSPITAL", "YSBYTY GWYNEDD"]),
        ("n 1 9", ["THE WHITTINGTON HOSPITAL"]),
        ("ZZ9", []),
    ],
)
def test_the_postcode_matches_its_start_ignoring_spaces(
    demo: None, post_code: str, expected: list[str]
) -> None:
    assert names(search_hospitals(post_code=post_code)) == expected


def test_name_and_postcode_together_must_both_match_and_the_answer_has_the_hospital_fields(
    demo: None,
) -> None:
    assert names(search_hospitals(name="hospital", post_code="SE1")) == [
        "GUY'S HOSPITAL",
        "ST THOMAS' HOSPITAL",
    ]
    assert search_hospitals(name="guy", post_code="SW") == []
    assert search_hospitals(name="university hospital of wales", post_code="cf14") == [
        HospitalInfo("UNIVERSITY HOSPITAL OF WALES", "HEATH PARK", "CARDIFF", "", "", "CF14 4XW")
    ]


def test_results_are_ordered_by_name_and_capped(demo: None) -> None:
    everything = search_hospitals(name="h", limit=MAX_LIMIT)
    assert names(everything) == sorted(names(everything))
    assert len(everything) > 20
    assert names(search_hospitals(name="h", limit=3)) == names(everything)[:3]
    assert len(search_hospitals(name="a")) <= 50


@pytest.mark.parametrize(
    ("criteria", "fields"),
    [
        ({}, ["hospitalName", "postCode"]),
        ({"name": "  ", "post_code": ""}, ["hospitalName", "postCode"]),
        ({"name": "'--'"}, ["hospitalName"]),
        ({"name": "x" * 101}, ["hospitalName"]),
        ({"post_code": "SW1A-1AA"}, ["postCode"]),
        ({"post_code": "SW1A 1AAA"}, ["postCode"]),
        ({"name": "guy", "limit": 0}, ["limit"]),
        ({"name": "guy", "limit": MAX_LIMIT + 1}, ["limit"]),
    ],
)
def test_a_search_without_criteria_or_with_bad_ones_is_refused(
    db: None, criteria: dict[str, Any], fields: list[str]
) -> None:
    with pytest.raises(PortalError) as raised:
        search_hospitals(**criteria)
    assert raised.value.code == "SCHEMA_INVALID"
    assert [d.field for d in raised.value.details] == fields


def test_on_sqlite_the_postcode_prefix_is_an_index_range_not_a_scan(demo: None) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's plan; PostgreSQL uses the varchar_pattern_ops index for LIKE 'SW17%'")
    with CaptureQueriesContext(connection) as queries:
        search_hospitals(post_code="SW17")
    (query,) = queries.captured_queries
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {query['sql']}")
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "GLOB" in query["sql"]
    assert "INDEX reference_hospital_post_code_key" in plan, plan
