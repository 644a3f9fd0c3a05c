"""The standard-library XLSX writer and reader (``publishing.xlsx``): what it writes it reads back; it
reads a workbook as LibreOffice and Excel save one (shared strings, rich text, numbers, booleans,
cells placed by reference, a Strict or absolute part name); it refuses what is not a workbook and what
is hostile (a ZIP bomb, a DTD with entities, a sheet too large) with the reason, before expanding it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping
from xml.etree import ElementTree as ET

import pytest

from claimsportal.publishing import xlsx

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"


def package(parts: Mapping[str, str | bytes], *, compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, text in parts.items():
            archive.writestr(name, text if isinstance(text, bytes) else text.encode("utf-8"))
    return out.getvalue()


def libreoffice_like(sheet_rows: str, shared: str, *, workbook_target: str = "xl/workbook.xml") -> bytes:
    """A workbook laid out as LibreOffice Calc 7 saves one: docProps, shared strings, styles, a
    relationship to the sheet relative to the workbook, cells with styles and references."""
    return package(
        {
            "[Content_Types].xml": (
                '<?xml version="1.0" encoding="UTF-8"?>\n'
                '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                '<Override PartName="/_rels/.rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>'
                "</Types>"
            ),
            "_rels/.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PKG}">'
                '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="docProps/core.xml"/>'
                f'<Relationship Id="rId2" Type="{REL}/officeDocument" Target="{workbook_target}"/>'
                "</Relationships>"
            ),
            "docProps/core.xml": '<?xml version="1.0" encoding="UTF-8"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"/>',
            "xl/_rels/workbook.xml.rels": (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<Relationships xmlns="{PKG}">'
                f'<Relationship Id="rId1" Type="{REL}/styles" Target="styles.xml"/>'
                f'<Relationship Id="rId2" Type="{REL}/worksheet" Target="worksheets/sheet1.xml"/>'
                f'<Relationship Id="rId3" Type="{REL}/worksheet" Target="worksheets/sheet2.xml"/>'
                f'<Relationship Id="rId4" Type="{REL}/sharedStrings" Target="sharedStrings.xml"/>'
                "</Relationships>"
            ),
            "xl/workbook.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<workbook xmlns="{MAIN}" xmlns:r="{REL}">'
                '<fileVersion appName="Calc"/><bookViews><workbookView/></bookViews>'
                '<sheets><sheet name="Index" sheetId="1" state="visible" r:id="rId2"/>'
                '<sheet name="Notes" sheetId="2" state="visible" r:id="rId3"/></sheets></workbook>'
            ),
            "xl/styles.xml": f'<?xml version="1.0" encoding="UTF-8"?><styleSheet xmlns="{MAIN}"/>',
            "xl/sharedStrings.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<sst xmlns="{MAIN}" count="9" uniqueCount="9">'
                f"{shared}</sst>"
            ),
            "xl/worksheets/sheet1.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}" xmlns:r="{REL}">'
                '<sheetPr filterMode="false"/><dimension ref="A1:E3"/>'
                f"<sheetData>{sheet_rows}</sheetData></worksheet>"
            ),
            "xl/worksheets/sheet2.xml": (
                f'<?xml version="1.0" encoding="UTF-8"?>\n<worksheet xmlns="{MAIN}">'
                '<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>not read</t></is></c></row>'
                "</sheetData></worksheet>"
            ),
        }
    )


SHARED = (
    "<si><t>insurerIndexId</t></si><si><t>insurerName</t></si><si><t>organisationId</t></si>"
    "<si><t>compensatorType</t></si><si><t>enabled</t></si>"
    '<si><t xml:space="preserve">II0001</t></si>'
    # Rich text (a bold run) with a phonetic run that is not part of the text
    '<si><r><rPr><b val="true"/></rPr><t>Acme </t></r><r><t>Insurance</t></r><rPh sb="0" eb="1"><t>x</t></rPh></si>'
    "<si><t>COMP001</t></si><si><t>I</t></si>"
)
ROWS = (
    '<row r="1" s="1" customFormat="false" ht="12.8" hidden="false">'
    '<c r="A1" s="0" t="s"><v>0</v></c><c r="B1" s="0" t="s"><v>1</v></c><c r="C1" s="0" t="s"><v>2</v></c>'
    '<c r="D1" s="0" t="s"><v>3</v></c><c r="E1" s="0" t="s"><v>4</v></c></row>'
    '<row r="2"><c r="A2" t="s"><v>5</v></c><c r="B2" t="s"><v>6</v></c><c r="C2" t="s"><v>7</v></c>'
    '<c r="D2" t="s"><v>8</v></c><c r="E2" t="b"><v>1</v></c></row>'
    # Row 3 is empty (not written); row 4 has a gap (B) and numbers, one a formula's cached result
    '<row r="4"><c r="A4" s="2" t="n"><v>12</v></c><c r="C4"><v>2.5</v></c>'
    '<c r="D4" t="str"><f>A4&amp;"x"</f><v>12x</v></c><c r="E4"><v>1.0E+3</v></c></row>'
)


def test_what_it_writes_it_reads_back_and_the_parts_are_those_of_a_workbook() -> None:
    rows: list[list[xlsx.Cell]] = [
        ["insurerIndexId", "insurerName", "enabled"],
        ["II0001", "  Acme & <Sons> \u201cquoted\u201d  ", "Y"],
        ["II0002", "Brand\u00a0Motor \U0001f697", None],
        [7, 2.5, True],
    ]
    data = xlsx.write(rows, sheet_name="Insurer Index v3")
    assert xlsx.read(data) == [
        (1, ["insurerIndexId", "insurerName", "enabled"]),
        (2, ["II0001", "  Acme & <Sons> \u201cquoted\u201d  ", "Y"]),
        (3, ["II0002", "Brand\u00a0Motor \U0001f697"]),
        (4, ["7", "2.5", "TRUE"]),
    ]
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        assert {
            "[Content_Types].xml",
            "_rels/.rels",
            "xl/workbook.xml",
            "xl/_rels/workbook.xml.rels",
            "xl/styles.xml",
            "xl/worksheets/sheet1.xml",
        } <= names
        workbook = ET.fromstring(archive.read("xl/workbook.xml"))  # noqa: S314
        sheet = workbook.find(f"{{{MAIN}}}sheets/{{{MAIN}}}sheet")
        assert sheet is not None and sheet.get("name") == "Insurer Index v3"
        cells = ET.fromstring(archive.read("xl/worksheets/sheet1.xml"))  # noqa: S314
        header = cells.find(f"{{{MAIN}}}sheetData/{{{MAIN}}}row/{{{MAIN}}}c")
        assert header is not None and header.get("s") == "1" and header.get("t") == "inlineStr"
    assert xlsx.write(rows) == xlsx.write(rows)  # the same rows make the same bytes


def test_text_xml_cannot_carry_is_dropped_rather_than_making_a_broken_file() -> None:
    assert xlsx.read(xlsx.write([["a\x00b\x1fc"]])) == [(1, ["abc"])]


def test_it_reads_a_workbook_saved_by_libreoffice_with_shared_strings() -> None:
    assert xlsx.read(libreoffice_like(ROWS, SHARED)) == [
        (1, ["insurerIndexId", "insurerName", "organisationId", "compensatorType", "enabled"]),
        (2, ["II0001", "Acme Insurance", "COMP001", "I", "TRUE"]),
        (4, ["12", "", "2.5", "12x", "1000"]),
    ]


def test_cells_and_rows_without_references_follow_one_another_and_absolute_targets_resolve() -> None:
    rows = '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row><c t="s"><v>0</v></c></row>'
    data = libreoffice_like(rows, "<si><t>x</t></si>", workbook_target="/xl/workbook.xml")
    assert xlsx.read(data) == [(1, ["a", "1"]), (2, ["x"])]


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"insurerIndexId,insurerName\r\n", "the file is not an XLSX workbook (not a valid ZIP package)"),
        (
            xlsx.OLE_MAGIC + b"\x00" * 100,
            "the file is in the old Excel 97-2003 format (.xls): save it as .xlsx or CSV",
        ),
        (package({"hello.txt": "hi"}), "the package has no workbook: it is not an XLSX file"),
        (
            package({"xl/workbook.xml": f'<workbook xmlns="{MAIN}"><sheets/></workbook>'}),
            "the workbook has no worksheet",
        ),
        (
            package({"xl/workbook.xml": "<workbook><sheets>"}),
            "the part xl/workbook.xml is not well-formed XML",
        ),
        (
            libreoffice_like('<row r="1"><c r="A1" t="s"><v>99</v></c></row>', SHARED),
            "the cell A1 refers to a shared string that does not exist",
        ),
    ],
)
def test_what_is_not_a_workbook_is_refused_with_the_reason(data: bytes, reason: str) -> None:
    with pytest.raises(xlsx.XlsxError) as caught:
        xlsx.read(data)
    assert caught.value.reason == reason


BILLION_LAUGHS = (
    '<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">' for i in range(1, 10))
    + f']>\n<workbook xmlns="{MAIN}"><sheets><sheet name="&lol9;"/></sheets></workbook>'
)
EXTERNAL_ENTITY = (
    '<?xml version="1.0"?>\n<!DOCTYPE sst [<!ENTITY secret SYSTEM "file:///etc/passwd">]>'
    f'<sst xmlns="{MAIN}"><si><t>&secret;</t></si></sst>'
)


def test_entity_expansion_and_external_entities_are_refused_before_anything_expands() -> None:
    dtd = "the file declares a document type (DTD), which a spreadsheet never needs: refused"
    with pytest.raises(xlsx.XlsxError) as laughs:
        xlsx.read(package({"xl/workbook.xml": BILLION_LAUGHS}))
    assert laughs.value.reason == dtd
    data = libreoffice_like(ROWS, SHARED)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    parts["xl/sharedStrings.xml"] = EXTERNAL_ENTITY.encode()
    with pytest.raises(xlsx.XlsxError) as external:
        xlsx.read(package(parts))
    assert external.value.reason == dtd
    # Even in UTF-16, where a search of the bytes for "<!DOCTYPE" would miss it
    parts["xl/sharedStrings.xml"] = EXTERNAL_ENTITY.replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
    ).encode("utf-16")
    with pytest.raises(xlsx.XlsxError) as wide:
        xlsx.read(package(parts))
    assert wide.value.reason == dtd


def test_a_zip_bomb_is_refused_after_reading_no_more_than_the_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 1024 * 1024)
    # 1 MB of spaces inside a valid workbook part compresses to a few kB
    padded = f'<workbook xmlns="{MAIN}"><sheets/>{" " * (1024 * 1024)}</workbook>'
    bomb = package({"xl/workbook.xml": padded})
    assert len(bomb) < 10_000
    with pytest.raises(xlsx.XlsxError) as caught:
        xlsx.read(bomb)
    assert caught.value.reason == "the part xl/workbook.xml expands to more than 1 MB: refused as a ZIP bomb"


def test_a_zip_bomb_whose_header_lies_about_its_size_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 1024 * 1024)
    padded = f'<workbook xmlns="{MAIN}"><sheets/>{" " * (2 * 1024 * 1024)}</workbook>'.encode()
    data = bytearray(package({"xl/workbook.xml": padded}))
    # Claim 100 bytes uncompressed in the central directory (the local header's sizes are not read)
    central = data.rfind(b"PK\x01\x02")
    data[central + 24 : central + 28] = (100).to_bytes(4, "little")
    with pytest.raises(xlsx.XlsxError) as caught:
        xlsx.read(bytes(data))
    # zipfile stops at the size claimed, and the checksum of what it read then fails
    assert caught.value.reason == (
        "the part xl/workbook.xml cannot be read (damaged, encrypted or an unknown compression)"
    )


def test_the_total_read_is_bounded_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(xlsx, "MAX_TOTAL_BYTES", 2048)
    data = libreoffice_like(ROWS, SHARED + "<si><t>" + "x" * 4096 + "</t></si>")
    with pytest.raises(xlsx.XlsxError) as caught:
        xlsx.read(data)
    assert "refused as a ZIP bomb" in caught.value.reason


def test_too_many_parts_rows_or_columns_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    many = package({f"part{i}.xml": "" for i in range(xlsx.MAX_PARTS + 1)}, compression=zipfile.ZIP_STORED)
    with pytest.raises(xlsx.XlsxError) as parts:
        xlsx.read(many)
    assert parts.value.reason == f"the package has more than {xlsx.MAX_PARTS} parts"
    far_row = libreoffice_like(f'<row r="{xlsx.MAX_ROWS + 1}"><c><v>1</v></c></row>', SHARED)
    with pytest.raises(xlsx.XlsxError) as rows:
        xlsx.read(far_row)
    assert rows.value.reason == f"the sheet has more than {xlsx.MAX_ROWS} rows"
    far_column = libreoffice_like('<row r="1"><c r="XFD1"><v>1</v></c></row>', SHARED)
    with pytest.raises(xlsx.XlsxError) as columns:
        xlsx.read(far_column)
    assert columns.value.reason == f"the sheet has more than {xlsx.MAX_COLUMNS} columns"


def test_column_letters_and_indexes_agree() -> None:
    for index, letters in ((0, "A"), (25, "Z"), (26, "AA"), (701, "ZZ"), (702, "AAA"), (16383, "XFD")):
        assert xlsx.column_letters(index) == letters
        assert xlsx.column_index(letters) == index
