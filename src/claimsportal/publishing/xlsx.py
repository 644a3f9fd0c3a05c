"""A small XLSX (Office Open XML SpreadsheetML) writer and reader on the standard library only
(``zipfile`` and ``xml.etree``): the Insurer Index is uploaded and downloaded as a spreadsheet, and the
lock has no spreadsheet library (no dependency is added for it).

:func:`write` makes a one-sheet workbook: ``[Content_Types].xml``, ``_rels/.rels``, the workbook and
its relationships, minimal styles (a bold header row) and the sheet, every text cell an inline string
and every ``int``/``float`` a number cell. Excel, LibreOffice and :func:`read` open it.

:func:`read` returns the first sheet's rows as text, as Excel and LibreOffice save them: shared strings
(plain or rich text), inline strings, numbers (an integral number reads as ``"12"``, not ``"12.0"``),
booleans (``TRUE``/``FALSE``), formula results; cells and rows placed by their ``r`` reference or,
without one, one after the other. It refuses, with an :class:`XlsxError` that says why, anything that is
not such a workbook and anything hostile:

- a ZIP bomb: at most :data:`MAX_PARTS` parts; each part read is bounded (:data:`MAX_PART_BYTES`)
  whatever its header claims, and so is their sum (:data:`MAX_TOTAL_BYTES`);
- XML entity expansion ("billion laughs") and external entities: any document type declaration
  (``<!DOCTYPE``), where entities are declared, is refused before anything is expanded;
- a sheet larger than :data:`MAX_ROWS` rows or :data:`MAX_COLUMNS` columns (a cell at ``XFD1048576``
  would otherwise cost memory for the empty cells before it).
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from collections.abc import Iterable, Sequence
from xml.etree import ElementTree as ET
from xml.sax.saxutils import escape, quoteattr

MAX_PARTS = 200
MAX_PART_BYTES = 32 * 1024 * 1024
MAX_TOTAL_BYTES = 64 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 256

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the old binary .xls (Excel 97-2003)

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOCUMENT = f"{_REL}/officeDocument"
_CELL_REF = re.compile(r"^([A-Z]{1,3})([0-9]{1,7})$")
# Characters XML 1.0 cannot carry at all (a cell's text is written without them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

Cell = str | int | float | bool | None


class XlsxError(ValueError):
    """The file is not an XLSX workbook this reader takes; ``reason`` says why, in words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --------------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------------


def column_letters(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def column_index(letters: str) -> int:
    """A -> 0, Z -> 25, AA -> 26."""
    index = 0
    for letter in letters:
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _cell_xml(ref: str, value: Cell, style: int) -> str:
    styled = f' s="{style}"' if style else ""
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return f'<c r="{ref}"{styled} t="b"><v>{int(value)}</v></c>'
    if isinstance(value, int | float):
        return f'<c r="{ref}"{styled}><v>{value!r}</v></c>'
    text = escape(_NOT_XML.sub("", str(value)))
    space = ' xml:space="preserve"' if text != text.strip() else ""
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _sheet_xml(rows: Sequence[Sequence[Cell]], widths: Sequence[int]) -> str:
    cols = "".join(
        f'<col min="{i + 1}" max="{i + 1}" width="{w}" customWidth="1"/>' for i, w in enumerate(widths)
    )
    body = []
    for r, row in enumerate(rows, start=1):
        cells = "".join(
            _cell_xml(f"{column_letters(c)}{r}", v, 1 if r == 1 else 0) for c, v in enumerate(row)
        )
        body.append(f'<row r="{r}">{cells}</row>')
    last = f"{column_letters(max((len(r) for r in rows), default=1) - 1)}{max(len(rows), 1)}"
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_MAIN}" xmlns:r="{_REL}"><dimension ref="A1:{last}"/>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft"'
        ' state="frozen"/></sheetView></sheetViews>'
        + (f"<cols>{cols}</cols>" if cols else "")
        + f"<sheetData>{''.join(body)}</sheetData></worksheet>"
    )


_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/styles.xml"'
    ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_OFFICE_DOCUMENT}" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<Relationships xmlns="{_PKG_REL}">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
# Two cell formats: 0 the default, 1 bold (the header row).
_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def write(rows: Sequence[Sequence[Cell]], *, sheet_name: str = "Sheet1") -> bytes:
    """A workbook of one sheet named ``sheet_name`` holding ``rows`` (the first in bold: the header).
    Text is written as inline strings, ``int``/``float`` as numbers, ``bool`` as booleans."""
    name = re.sub(r"[\[\]:*?/\\]", " ", sheet_name)[:31] or "Sheet1"
    widths = [
        min(max((len(str(row[c])) for row in rows if c < len(row) and row[c] is not None), default=8) + 2, 60)
        for c in range(max((len(r) for r in rows), default=0))
    ]
    workbook = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>'
        f'<sheet name={quoteattr(name)} sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        # A fixed date: the same rows make the same bytes.
        for part, text in (
            ("[Content_Types].xml", _CONTENT_TYPES),
            ("_rels/.rels", _ROOT_RELS),
            ("xl/workbook.xml", workbook),
            ("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS),
            ("xl/styles.xml", _STYLES),
            ("xl/worksheets/sheet1.xml", _sheet_xml(rows, widths)),
        ):
            info = zipfile.ZipInfo(part, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()


# --------------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------------


class _NoDtd(ET.TreeBuilder):
    """A tree builder that refuses a document type declaration: entities (the "billion laughs", an
    external entity) can only be declared in one, and expat calls this before reading any of them."""

    def doctype(self, name: str, pubid: str | None, system: str | None) -> None:
        raise XlsxError("the file declares a document type (DTD), which a spreadsheet never needs: refused")


def _xml(data: bytes, part: str) -> ET.Element:
    parser = ET.XMLParser(target=_NoDtd())  # noqa: S314 - DTDs refused by _NoDtd
    try:
        parser.feed(data)
        return parser.close()
    except ET.ParseError:
        raise XlsxError(f"the part {part} is not well-formed XML") from None


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(element: ET.Element, name: str) -> Iterable[ET.Element]:
    return (child for child in element if _local(child.tag) == name)


def _first(element: ET.Element, name: str) -> ET.Element | None:
    return next(iter(_children(element, name)), None)


def _attr(element: ET.Element, name: str) -> str | None:
    """An attribute by its local name, whatever its namespace (``r:id``, a Strict OOXML ``id``)."""
    for key, value in element.attrib.items():
        if _local(key) == name:
            return value
    return None


class _Package:
    """The ZIP's parts, read with every size bounded."""

    def __init__(self, data: bytes) -> None:
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
        except (zipfile.BadZipFile, ValueError):
            raise XlsxError("the file is not an XLSX workbook (not a valid ZIP package)") from None
        infos = self.zip.infolist()
        if len(infos) > MAX_PARTS:
            raise XlsxError(f"the package has more than {MAX_PARTS} parts")
        self.names = {info.filename.lstrip("/"): info.filename for info in infos}
        self.read_total = 0

    def read(self, part: str) -> bytes | None:
        name = self.names.get(part.lstrip("/"))
        if name is None:
            return None
        budget = min(MAX_PART_BYTES, MAX_TOTAL_BYTES - self.read_total)
        try:
            with self.zip.open(name) as stream:
                # Read at most one byte more than allowed, whatever the header claims (a bomb lies).
                data = stream.read(budget + 1)
        except (
            zipfile.BadZipFile,
            zipfile.LargeZipFile,
            NotImplementedError,
            RuntimeError,
            OSError,
            EOFError,
        ):
            raise XlsxError(
                f"the part {part} cannot be read (damaged, encrypted or an unknown compression)"
            ) from None
        if len(data) > budget:
            raise XlsxError(
                f"the part {part} expands to more than {budget // (1024 * 1024)} MB: refused as a ZIP bomb"
            )
        self.read_total += len(data)
        return data

    def xml(self, part: str) -> ET.Element | None:
        data = self.read(part)
        return None if data is None else _xml(data, part)

    def relationships(self, part: str) -> dict[str, tuple[str, str]]:
        """The relationships of ``part``: Id -> (type, the target's part name)."""
        folder, name = posixpath.split(part)
        root = self.xml(posixpath.join(folder, "_rels", f"{name}.rels"))
        out: dict[str, tuple[str, str]] = {}
        for rel in () if root is None else _children(root, "Relationship"):
            target, rel_id = rel.get("Target") or "", rel.get("Id") or ""
            if rel.get("TargetMode") == "External":
                continue
            resolved = target.lstrip("/") if target.startswith("/") else posixpath.join(folder, target)
            out[rel_id] = (rel.get("Type") or "", posixpath.normpath(resolved))
        return out


def _text(element: ET.Element) -> str:
    """A string item's text: ``<t>``, or the runs' ``<r><t>`` (rich text); phonetic runs are not text."""
    direct = _first(element, "t")
    if direct is not None:
        return direct.text or ""
    runs = (_first(run, "t") for run in _children(element, "r"))
    return "".join(t.text or "" for t in runs if t is not None)


def _number(raw: str) -> str:
    """A number cell as the text a person typed: ``12`` rather than ``12.0``."""
    try:
        value = float(raw)
    except ValueError:
        return raw
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return raw


def read(data: bytes) -> list[tuple[int, list[str]]]:
    """The first sheet's rows that have a cell, as (row number, the cells' text from column A, with ""
    for an empty cell). Raises :class:`XlsxError` for a file that is not such a workbook or is hostile."""
    if data.startswith(OLE_MAGIC):
        raise XlsxError("the file is in the old Excel 97-2003 format (.xls): save it as .xlsx or CSV")
    package = _Package(data)
    office = [
        target
        for rel_type, target in package.relationships("").values()
        if rel_type.endswith("/officeDocument")
    ]
    workbook_part = office[0] if office else "xl/workbook.xml"
    workbook = package.xml(workbook_part)
    if workbook is None:
        raise XlsxError("the package has no workbook: it is not an XLSX file")
    relationships = package.relationships(workbook_part)
    sheets = _first(workbook, "sheets")
    first_sheet = None if sheets is None else _first(sheets, "sheet")
    rel_id = None if first_sheet is None else _attr(first_sheet, "id")
    if rel_id is None or rel_id not in relationships:
        raise XlsxError("the workbook has no worksheet")
    sheet = package.xml(relationships[rel_id][1])
    if sheet is None:
        raise XlsxError("the workbook's first worksheet is missing from the package")
    shared: list[str] = []
    for rel_type, target in relationships.values():
        if rel_type.endswith("/sharedStrings"):
            table = package.xml(target)
            shared = [] if table is None else [_text(item) for item in _children(table, "si")]
    sheet_data = _first(sheet, "sheetData")
    if sheet_data is None:
        return []
    out: list[tuple[int, list[str]]] = []
    row_number = 0
    for row in _children(sheet_data, "row"):
        given = row.get("r")
        row_number = int(given) if given and given.isdigit() else row_number + 1
        if row_number > MAX_ROWS:
            raise XlsxError(f"the sheet has more than {MAX_ROWS} rows")
        cells: dict[int, str] = {}
        column = -1
        for cell in _children(row, "c"):
            ref = cell.get("r")
            match = _CELL_REF.match(ref or "")
            column = column_index(match.group(1)) if match else column + 1
            if column >= MAX_COLUMNS:
                raise XlsxError(f"the sheet has more than {MAX_COLUMNS} columns")
            cells[column] = _cell_text(cell, shared)
        if cells:
            width = max(cells) + 1
            out.append((row_number, [cells.get(c, "") for c in range(width)]))
    return out


def _cell_text(cell: ET.Element, shared: Sequence[str]) -> str:
    kind = cell.get("t", "n")
    if kind == "inlineStr":
        inline = _first(cell, "is")
        return "" if inline is None else _text(inline)
    value_element = _first(cell, "v")
    raw = "" if value_element is None else (value_element.text or "")
    if kind == "s":
        try:
            return shared[int(raw)]
        except (ValueError, IndexError):
            raise XlsxError(
                f"the cell {cell.get('r') or ''} refers to a shared string that does not exist"
            ) from None
    if kind == "b":
        return "TRUE" if raw.strip() == "1" else "FALSE"
    if kind == "n":
        return _number(raw)
    return raw  # str (a formula's text), e (an error such as #N/A), d (an ISO date)
