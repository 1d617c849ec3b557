"""Zip bombs shaped like an xlsx, built in a fraction of a second for tests and the bench.

A real workbook (openpyxl) whose first sheet is replaced by ``head + row * times + tail``.
The repeated row is deflated once after a full flush (a fresh dictionary) and the same
compressed bytes are written ``times`` times: a valid deflate stream of gigabytes that costs
only its CRC to build.
"""

import io
import struct
import zipfile
import zlib

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    b"<sheetData>"
)
TAIL = b"</sheetData></worksheet>"


def _raw_deflate(data: bytes, final: bool) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush(zlib.Z_FINISH if final else 2)


def _bomb_part(unit: bytes, times: int, head: bytes, tail: bytes):
    """(deflated bytes, crc32, inflated size) of head + unit * times + tail."""
    block = _raw_deflate(unit, final=False)
    data = _raw_deflate(head, final=False) + block * times + _raw_deflate(tail, final=True)
    crc = zlib.crc32(head)
    for _ in range(times):
        crc = zlib.crc32(unit, crc)
    crc = zlib.crc32(tail, crc)
    return data, crc, len(head) + len(unit) * times + len(tail)


def _zip(parts) -> bytes:
    """A zip of ``parts`` [(name, deflated, crc, size)], written by hand (zipfile cannot
    store data compressed elsewhere)."""
    out, directory = io.BytesIO(), []
    for name, deflated, crc, size in parts:
        encoded = name.encode()
        offset = out.tell()
        out.write(struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, 8, 0, 0x21, crc,
                              len(deflated), size, len(encoded), 0))  # fmt: skip
        out.write(encoded + deflated)
        directory.append(
            struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, 8, 0, 0x21, crc,
                        len(deflated), size, len(encoded), 0, 0, 0, 0, 0, offset) + encoded
        )  # fmt: skip
    start = out.tell()
    for entry in directory:
        out.write(entry)
    out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(directory), len(directory),
                          out.tell() - start, start, 0))  # fmt: skip
    return out.getvalue()


def xlsx_with_sheet(unit: bytes, times: int, head: bytes = HEAD, tail: bytes = TAIL) -> bytes:
    """A workbook whose first sheet is ``head + unit * times + tail``."""
    book = openpyxl.Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    parts = []
    with zipfile.ZipFile(buffer) as real:
        for info in real.infolist():
            if info.filename == SHEET:
                parts.append((SHEET, *_bomb_part(unit, times, head, tail)))
            else:
                content = real.read(info)
                deflated = _raw_deflate(content, final=True)
                parts.append((info.filename, deflated, zlib.crc32(content), len(content)))
    return _zip(parts)


def sheet_bomb(inflated_mb: int) -> bytes:
    """An xlsx whose sheet inflates to about ``inflated_mb`` MB of identical rows."""
    start, end = b'<row><c t="inlineStr"><is><t>', b"</t></is></c></row>"
    row = start + b"x" * (8192 - len(start) - len(end)) + end  # 128 rows: exactly 1 MB
    unit = row * (2**20 // len(row))
    return xlsx_with_sheet(unit, inflated_mb)
