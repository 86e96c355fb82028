"""The user's language, chosen once per run, and the one helper that picks a message."""

import os

LANGS = ("zh", "en")


def default_lang() -> str:
    """zh for a zh_* locale, else en."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(var)
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def pick(lang: str, en: str, zh: str) -> str:
    return zh if lang == "zh" else en
