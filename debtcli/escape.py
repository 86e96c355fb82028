"""User text made safe for each place debtcli writes it. Pure.

What a person (or a doctored import) typed is data: it must not run as a spreadsheet formula,
move a terminal's cursor, or reorder debtcli's own words with a bidi override.
"""

# C0 controls but tab and newline, DEL, C1 controls, the bidi marks (U+061C, U+200E, U+200F),
# embeddings, overrides and isolates (U+202A–202E, U+2066–2069): never written raw to a
# terminal.
_CONTROL = "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
# OWASP: a cell starting with one of these is read by a spreadsheet as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def for_terminal(text: str) -> str:
    """Control characters shown as U+FFFD instead of acted on."""
    import re

    return re.sub(_CONTROL, "\ufffd", text) if re.search(_CONTROL, text) else text


# What a document (a letter in Markdown, HTML or .docx) never carries from user text: the
# controls above but the line break (a carriage return included), and the characters XML 1.0
# cannot hold (U+FFFE, U+FFFF, lone surrogates), on which python-docx stops.
_NOT_IN_DOCUMENTS = (
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufffe\uffff\ud800-\udfff]"
)


def for_document(text: str) -> str:
    """A bidi override typed into a name or a note cannot reorder the letter's own words, and
    a character a .docx cannot hold cannot stop the letter: both are shown as U+FFFD."""
    import re

    return re.sub(_NOT_IN_DOCUMENTS, "\ufffd", text)


def for_csv(cell: str) -> str:
    """A cell a spreadsheet would run as a formula, neutralised with a leading apostrophe (the
    OWASP advice); the apostrophe shows, and the text is kept whole."""
    return "'" + cell if cell.startswith(_FORMULA_START) else cell
