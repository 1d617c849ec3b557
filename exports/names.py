"""Municipalities in the order an operator looks for them: by their proper name.

«муниципальное образование Город № 10», «г.о. Клин», «МО Город № 2» sort as «Город № 10»,
«Клин», «Город № 2»: generic prefixes are dropped, case and ё are ignored, and numbers
compare as numbers («№ 2» before «№ 10»).
"""

import re

# Longest first, so «г.о.» wins over «г.» and «муниципальный район» over «мр».
GENERIC_PREFIXES = (
    "закрытое административно-территориальное образование",
    "муниципальное образование",
    "муниципальный район",
    "муниципальный округ",
    "городской округ",
    "городское поселение",
    "сельское поселение",
    "зато",
    "г.о.",
    "г. о.",
    "мо",
    "мр",
    "го",
    "г.",
)
_PREFIX = re.compile(
    r"^(?:"
    + "|".join(
        # A word prefix must end at a space or a quote («МО Город», not «Москва»).
        re.escape(p) + ("" if p.endswith(".") else r"(?=[\s\"«]|$)")
        for p in GENERIC_PREFIXES
    )
    + r")\s*"
)
_QUOTES = re.compile(r"[\"«»“”„']")
_NUMBERS = re.compile(r"(\d+)")


def proper_name(name: str) -> str:
    """The name without generic prefixes and quotes, lower case, ё as е."""
    text = _QUOTES.sub(" ", name.casefold().replace("ё", "е"))
    text = " ".join(text.split())
    while True:  # «МО городской округ Клин»: prefixes may repeat
        stripped = _PREFIX.sub("", text, count=1).strip()
        if stripped == text or not stripped:
            return text
        text = stripped


def natural_key(name: str) -> tuple:
    """Sort key: the proper name with its numbers compared as numbers, then the full name."""
    parts = _NUMBERS.split(proper_name(name))
    # re.split with a group alternates text and digits, so positions never mix types.
    return (
        tuple(int(part) if index % 2 else part for index, part in enumerate(parts)),
        name.casefold(),
    )
