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


# How the log's stored values (channels, parties, who was reached) read in Chinese.
LABELS_ZH = {
    "call": "电话", "sms": "短信", "letter": "信函", "lawyer-letter": "律师函", "visit": "上门",
    "email": "电子邮件", "app": "App", "wechat": "微信", "other": "其他", "family": "家人",
    "employer": "雇主", "colleague": "同事", "friend": "朋友", "contacts-list": "通讯录联系人",
    "self": "本人", "bank": "银行", "agency": "催收机构", "law-firm": "律师事务所",
    "court": "法院", "unknown": "未知", "impostor": "冒充者",
}


def label(value: str | None, lang: str) -> str | None:
    return LABELS_ZH.get(value or "", value) if lang == "zh" else value
