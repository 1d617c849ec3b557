"""How much work one uploaded spreadsheet may cause, and the archive check of an xlsx.

An xlsx is a zip: a 1.6 MB file can declare a sheet of 1 GB.  Python's zipfile never
inflates a part beyond its declared size (it stops there and fails the CRC check), so the
declared sizes, checked before openpyxl opens anything, bound the work honestly.
"""

import io
import re
import zipfile

MAX_ROWS = 200_000  # data rows of one file
MAX_COLUMNS = 50
MAX_CELL = 10_000  # characters of one cell
MAX_PARTS = 1_000  # files inside an xlsx
MAX_PART_BYTES = 100 * 2**20  # one part (a sheet, the shared strings) once inflated
MAX_TOTAL_BYTES = 200 * 2**20  # every part together
MAX_RATIO = 200  # inflated / compressed for a part over 1 MB (real sheets: 5 to 30)
DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:([A-Z]+)(\d+)"')


class ReadError(ValueError):
    """The whole file is refused; the message says why in Russian."""


def number(value: int) -> str:
    """1100 → «1 100» (the Russian thousands separator)."""
    return f"{value:,}".replace(",", " ")


def megabytes(size: int) -> str:
    return number(round(size / 2**20)) + " МБ"


def check_archive(data: bytes) -> None:
    """Refuse an xlsx whose declared parts would inflate beyond the limits."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError):
        raise ReadError("Не удалось открыть файл Excel: файл повреждён.") from None
    with archive:
        parts = archive.infolist()
        if len(parts) > MAX_PARTS:
            raise ReadError(
                f"Файл слишком сложный: {number(len(parts))} частей в архиве xlsx, "
                f"допустимо не более {number(MAX_PARTS)}."
            )
        for part in parts:
            if part.file_size > MAX_PART_BYTES:
                what = "лист" if is_sheet(part) else f"часть «{part.filename}»"
                raise ReadError(
                    f"Файл слишком большой: {what} разворачивается в "
                    f"{megabytes(part.file_size)}, допустимо не более "
                    f"{megabytes(MAX_PART_BYTES)}."
                )
            ratio = part.file_size / max(part.compress_size, 1)
            if part.file_size > 2**20 and ratio > MAX_RATIO:
                raise ReadError(
                    f"Файл похож на архивную бомбу: часть «{part.filename}» сжата в "
                    f"{number(round(ratio))} раз, допустимо не более {MAX_RATIO}."
                )
        total = sum(part.file_size for part in parts)
        if total > MAX_TOTAL_BYTES:
            raise ReadError(
                f"Файл слишком большой: содержимое разворачивается в {megabytes(total)}, "
                f"допустимо не более {megabytes(MAX_TOTAL_BYTES)}."
            )
        for part in parts:
            if is_sheet(part):
                check_dimension(archive, part)


def is_sheet(part) -> bool:
    return part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml")


def check_dimension(archive, part) -> None:
    """A sheet's declared size (``<dimension ref="A1:K120001">``, near its start)."""
    with archive.open(part) as stream:
        found = DIMENSION.search(stream.read(4096))
    if found is None:
        return  # not declared: the streaming reader counts instead
    letters, rows = found.groups()
    columns = 0
    for letter in letters.decode():
        columns = columns * 26 + ord(letter) - ord("A") + 1
    if int(rows) - 1 > MAX_ROWS:
        raise too_many_rows()
    if columns > MAX_COLUMNS:
        raise too_many_columns()


def too_many_rows() -> ReadError:
    return ReadError(
        f"Слишком много строк: допустимо не более {number(MAX_ROWS)} в одном файле. "
        "Разделите файл на части."
    )


def too_many_columns() -> ReadError:
    return ReadError(f"Слишком много столбцов: допустимо не более {MAX_COLUMNS}.")


def too_long(length: int) -> str:
    return f"Значение длиной {number(length)} символов, допустимо не более {number(MAX_CELL)}."
