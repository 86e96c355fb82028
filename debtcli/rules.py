"""Rule packs: the facts of one jurisdiction, kept as a TOML data file and validated on load.

A new bank or jurisdiction is a data change. The pack is chosen by name (a built-in file in
debtcli/packs/) or by a path to a .toml file.
"""

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from debtcli.errors import RulePackError, os_reason
from debtcli.i18n import pick

PACKS_DIR = Path(__file__).with_name("packs")


def builtin_templates() -> Path:
    """debtcli/templates in the wheel, else templates/ in a source checkout: found by the
    package's own path (importlib.resources would cost every command 4-8 ms, and each checks
    the pack's letter templates on load)."""
    here = Path(__file__).resolve().parent
    packaged = here / "templates"
    return packaged if packaged.is_dir() else here.parent / "templates"


STAGE_KEYS = ("grace", "reminder", "phone", "letter", "agency", "visit", "litigation")
TAGS = ("law", "rule", "practice", "unverified")
# Claims whose truth the card's own figures decide (the criminal threshold): never called
# contrary to the law by their words alone.
CRIMINAL_CLAIMS = ("arrest", "criminal-record")
CONDUCT_KINDS = (
    "quiet-hours",
    "third-party",
    "flag",
    "claim",
    "per-day",
    "visit-agents",
    "visit-credentials",
    "pay-to",
    "private-channel",
    "after-agreement",
    "after-settlement",
)

# What each table must hold: key -> type. "zh/en" pairs are checked as str.
# A stage, and the state of a card under an installment agreement, which is told like one.
_UNDER_AGREEMENT = {
    "zh": str,
    "en": str,
    "short_zh": str,
    "short_en": str,
    "tag": str,
    "what_zh": str,
    "what_en": str,
    "todo_zh": str,
    "todo_en": str,
    "basis_zh": str,
    "basis_en": str,
}
_STAGE = {"key": str, "start_day": int, **_UNDER_AGREEMENT}
_BANK = {"zh": str, "en": str, "match": list, "hotline": str, "tag": str}
_CONDUCT = {
    "key": str,
    "kind": str,
    "tag": str,
    "zh": str,
    "en": str,
    "short_zh": str,
    "short_en": str,
    "citation_zh": str,
    "citation_en": str,
}
_CLAIM = {
    "key": str,
    "claim_zh": str,
    "claim_en": str,
    "fact_zh": str,
    "fact_en": str,
    "citation_zh": str,
    "citation_en": str,
    "tag": str,
}
_ITEM = {"zh": str, "en": str, "source_zh": str, "source_en": str, "tag": str}
_INDICATOR = {
    "tag": str,
    "citation_zh": str,
    "citation_en": str,
    "reading_zh": str,
    "reading_en": str,
}
_INDICATORS = {
    "malicious-overdraft": {
        **_INDICATOR,
        "threshold": str,
        "notice_gap_days": int,
        "months_after_second": int,
        "effective_channels": list,
        "possible_channels": list,
        "parties": list,
        "show_within_percent": int,
        "reassure_zh": str,
        "reassure_en": str,
    },
    "credit-record": {**_INDICATOR, "years": int},
    "limitation": {
        **_INDICATOR,
        "years": int,
        "expired_zh": str,
        "expired_en": str,
        "waiver_zh": str,
        "waiver_en": str,
        "installments_zh": str,
        "installments_en": str,
    },
}
_STAGE_CLASS = {
    "class_zh": str,
    "class_en": str,
    "class_tag": str,
    "class_source_zh": str,
    "class_source_en": str,
}
_HELP_LINE = {
    "number": str,
    "zh": str,
    "en": str,
    "short_zh": str,
    "short_en": str,
    "door": bool,
    "tag": str,
}
_TOPIC = {"key": str, "title_zh": str, "title_en": str, "items": list}
_LETTER_KIND = {
    "key": str,
    "title_zh": str,
    "title_en": str,
    "acknowledges": bool,
    "needs_debt": bool,
    "needs_zh": str,
    "needs_en": str,
}
_LETTER_BASIS = {"key": str, "kinds": list, "tag": str, "zh": str, "en": str}
_CONDUCT_PARAMS: dict[str, dict[str, type]] = {
    "quiet-hours": {"start": str, "end": str, "channels": list},
    "third-party": {"contacted": list},
    "flag": {"flags": list},
    "per-day": {"channels": list, "answered": bool, "max": int},
    "visit-agents": {"min": int},
    "pay-to": {
        "keywords": list,
        "own_card": list,
        "official": list,
        "payees": list,
        "companies": list,
    },
    "private-channel": {"channels": list, "parties": list},
    "after-agreement": {"parties": list},
    "after-settlement": {"parties": list},
}


class Pack:
    """A validated rule pack: the parsed TOML with helpers to read it in either language."""

    def __init__(
        self, key: str, path: Path, data: dict[str, Any], stages: list[dict[str, Any]]
    ) -> None:
        self.key, self.path, self.data, self.stages = key, path, data, stages
        self._words: dict[str, dict[str, str]] = {}  # [words] by the word, per kind
        self._typed: dict[str, dict[str, str]] = {}  # word() by what was typed, per kind

    @property
    def currency(self) -> str:
        return self.data["pack"]["currency"]

    @property
    def max_installment_months(self) -> int:
        return int(self.data["pack"]["max_installment_months"])

    def text(self, item: dict[str, Any], name: str, lang: str) -> str:
        """item['name_zh'] or item['name_en']; bare 'zh'/'en' when name is ''."""
        prefix = f"{name}_" if name else ""
        return pick(lang, item[f"{prefix}en"], item[f"{prefix}zh"])

    def disclaimer(self, lang: str) -> str:
        return self.text(self.data["pack"], "disclaimer", lang)

    def tag_text(self, tag: str, lang: str) -> str:
        return self.text(self.data["tags"][tag], "", lang)

    def stage(self, key: str) -> dict[str, Any]:
        if key == "agreement":
            return self.data["under_agreement"]
        return next(s for s in self.stages if s["key"] == key)

    def stage_text(self, key: str | None, field: str, lang: str, criminal: bool) -> str:
        """A stage's name ('' field), short name, what or todo. Below the criminal threshold a
        stage's civil_* wording is used where it has one: no talk of police reports for a
        debt that cannot be 恶意透支."""
        if not key:
            return "—"
        stage = self.stage(key)
        name = f"{field}_" if field else ""
        if not criminal and f"civil_{name}zh" in stage:
            return self.text(stage, f"civil_{field}" if field else "civil", lang)
        return self.text(stage, field, lang)

    @property
    def creditor_parties(self) -> list[str]:
        """The parties of the log who speak for the creditor."""
        return self.data["parties"]["creditors"]

    def grace_days(self, bank: str | None) -> int:
        """The days of grace the stage table allows after a due date (before reminders)."""
        days = self.start_days(bank)
        return days["reminder"] - days["grace"]

    def rule_names(self, keys: list[str], lang: str) -> str:
        """Conduct rules' short names, for a table cell: 夜间催收、联系第三人."""
        names = [self.text(self.conduct_rule(k), "short", lang) for k in keys]
        return ("、" if lang == "zh" else ", ").join(names)

    def word(self, kind: str, value: str) -> str:
        """A value as people type it (电话, 母亲, 催收公司, 是) made the stored key (call,
        family, agency, yes); anything the pack does not know comes back as typed."""
        typed = self._typed.setdefault(kind, {})
        if value in typed:  # an import meets the same few words a million times
            return typed[value]
        from debtcli.dates import normalize

        index = self._words.get(kind)
        if index is None:  # made once per kind: an import looks up words a million times
            index = {}
            english = self.data.get("names_en", {}).get(kind, {})
            for key, words in reversed(list(self.data.get("words", {}).get(kind, {}).items())):
                index.update({w.casefold(): key for w in words})
                if key in english:  # what English output shows can be typed back
                    index[english[key].casefold()] = key
                index[key] = key
            self._words[kind] = index
        key = typed[value] = index.get(normalize(value).casefold(), value.strip())
        return key

    def word_name(self, kind: str, key: str, lang: str) -> str:
        """A stored key in the user's language: its first Chinese word in zh; in en its name
        in [names_en] where the key is a code (lawyer-letter: lawyer's letter), else the key."""
        if lang != "zh":
            return self.data.get("names_en", {}).get(kind, {}).get(key, key)
        words = self.data.get("words", {}).get(kind, {}).get(key)
        return words[0] if words else key

    def whom(self, key: str, lang: str, owner: str) -> str:
        """Whom a contact reached, in prose: owner "you" gives your family / 你的家人, "me"
        gives my family / 我的家人; someone unnamed is someone else / 其他人, nobody's."""
        name = self.word_name("contacted", key, lang)
        if key == "other":
            return name
        en, zh = {"you": ("your", "你"), "me": ("my", "我")}[owner]
        return pick(lang, f"{en} {name}", f"{zh}的{name}")

    def word_names(self, kind: str, keys: list[str], lang: str) -> str:
        """Several stored keys in the user's language, for a table cell."""
        return ("、" if lang == "zh" else ", ").join(self.word_name(kind, k, lang) for k in keys)

    def help_lines(self) -> list[dict[str, Any]]:
        return self.data["help_lines"]

    def line(self, name: str) -> str:
        """A help line's number by its short English name (police, anti-fraud, complaints,
        legal aid), for the letters and refusals that cite one; a pack without it is refused
        in a line, never a traceback."""
        for line in self.data["help_lines"]:
            if line["short_en"] == name:
                return str(line["number"])
        raise RulePackError(
            f"the rule pack has no help line {name!r} ([[help_lines]] short_en = {name!r})",
            f"规则包没有求助电话 {name!r}（[[help_lines]] short_en = {name!r}）",
        )

    def topics(self) -> list[dict[str, Any]]:
        return self.data.get("topics", [])

    def conduct(self) -> list[dict[str, Any]]:
        return self.data["conduct"]

    def conduct_rule(self, key: str) -> dict[str, Any]:
        return next(r for r in self.data["conduct"] if r["key"] == key)

    def conduct_label(self, key: str, lang: str) -> str:
        """A breach of the rule as a complaint names it, with the rule's own figures (quiet
        hours from its start, the daily limit its max); the rule's text if it has no label."""
        rule = self.conduct_rule(key)
        if "label_en" not in rule:
            return self.text(rule, "", lang)
        return self.text(rule, "label", lang).format(**rule)

    def claims(self) -> list[dict[str, Any]]:
        return self.data["claims"]

    def claim_label(self, key: str, lang: str, criminal: tuple[str, ...] = CRIMINAL_CLAIMS) -> str:
        """A collector's claim as a breach names it, each its own: one the law answers (the
        family must pay) is contrary to the law; any other (and a criminal claim, which the
        card's own figures decide) a possibly exaggerated consequence."""
        claim = next((c for c in self.claims() if c["key"] == key), None)
        said = self.text(claim, "claim", lang) if claim else key
        if claim is not None and claim["tag"] == "law" and key not in criminal:
            return pick(lang, f"the claim {said}, contrary to the law", f"称{said}——与法律规定不符")
        return pick(
            lang,
            f"the claim {said}, a possibly exaggerated consequence",
            f"称{said}——可能夸大了后果",
        )

    def claim_keys(self) -> list[str]:
        return [c["key"] for c in self.data["claims"]]

    def facts_pointer(self, key: str, lang: str) -> str | None:
        """Where `debtcli facts WORD` sends a word that has no claim or topic of its own (上门:
        the visit checklist), from the pack's [facts_pointers]; None for any other word."""
        said = key.strip().lower()
        for pointer in self.data.get("facts_pointers", {}).values():
            if said in (w.lower() for w in pointer.get("words", [])):
                return self.text(pointer, "", lang)
        return None

    def facts(self, key: str | None, lang: str) -> list[dict[str, Any]]:
        """What `debtcli facts` tells: each collector's claim (what it says, the fact, its
        citation and more) and each topic (its items), with sources and tags, in `lang`; only
        the claim or topic `key` names (in either language), or NotFound."""
        from debtcli.errors import NotFound

        claims, topics = self.claims(), self.topics()
        if key:
            wanted = self.word("topic", self.word("claim", key)).strip().lower()
            claims = [c for c in claims if c["key"] == wanted]
            topics = [x for x in topics if x["key"] == wanted]
            if not claims and not topics:
                known = [("claim", k) for k in self.claim_keys()]
                known += [("topic", x["key"]) for x in self.topics()]
                raise NotFound(
                    f"no claim or topic {key!r}; known: {', '.join(k for _, k in known)}",
                    f"没有说法或主题 {key!r}；已知："
                    f"{'、'.join(self.word_name(kind, k, 'zh') for kind, k in known)}",
                )

        def part(item: dict[str, Any]) -> dict[str, Any]:
            return {
                "text": self.text(item, "", lang),
                "source": self.text(item, "source", lang),
                "tag": item["tag"],
            }

        return [
            {
                "key": c["key"],
                "claim": self.text(c, "claim", lang),
                "fact": self.text(c, "fact", lang),
                "citation": self.text(c, "citation", lang),
                "tag": c["tag"],
                "more": [part(m) for m in c.get("more", [])],
            }
            for c in claims
        ] + [
            {
                "key": x["key"],
                "title": self.text(x, "title", lang),
                "items": [part(i) for i in x["items"]],
            }
            for x in topics
        ]

    def indicator(self, key: str) -> dict[str, Any]:
        return self.data["indicators"][key]

    def evidence_map(self) -> list[dict[str, Any]]:
        return self.data.get("evidence", [])

    def _match(self, items: list[dict[str, Any]], bank: str) -> dict[str, Any] | None:
        """The item with the longest alias found in `bank`: the most specific name wins, so
        a name holding two banks' aliases goes to the one it names most fully."""
        best, length = None, 0
        for item in items:
            for alias in item["match"]:
                if len(alias) > length and names_match(alias, bank):
                    best, length = item, len(alias)
        return best

    def bank(self, name: str) -> dict[str, Any] | None:
        """The hotline entry for a bank by any of its names, or None."""
        return self._match(self.data.get("banks", []), name)

    def start_days(self, bank: str | None) -> dict[str, int]:
        days = {s["key"]: int(s["start_day"]) for s in self.stages}
        profile = self._match(list(self.data.get("bank_profiles", {}).values()), bank or "")
        if profile:
            days.update(profile.get("start_days", {}))
        return days


def names_match(alias: str, bank: str) -> bool:
    """Chinese names match inside a longer name (工商银行 in 中国工商银行信用卡); Latin aliases
    only as whole words, so CMB does not match CMBC."""
    if alias.isascii():
        return re.search(rf"\b{re.escape(alias)}\b", bank, re.IGNORECASE) is not None
    return alias in bank


# What may follow a bank's short name (浦发, 中信, 平安) for it to name the bank: 平安 alone is a
# greeting or an insurer, 招商 in 招商引资 or 招商证券 is no bank.
_AFTER_SHORT_NAME = ("信用卡", "银行", "的卡", "卡", "贷款", "客服", "app", "手机银行")


def banks_named(
    text: str, banks: list[dict[str, Any]], strict: bool = False
) -> list[dict[str, Any]]:
    """The banks a text names: by a name with 银行 in it or ending in 行 (中信银行, 招行), by a
    short name followed by 信用卡, 银行, 卡 or app (浦发信用卡, 中信的卡), or by a Latin name
    between non-letters (CMB信用卡, China Merchants Bank, [ICBC]). strict (who is paid): a
    Latin name of four letters or fewer only before bank, app or 银行 (ABC Trading is no
    bank)."""
    import unicodedata

    spaced = unicodedata.normalize("NFKC", text).casefold()
    folded = "".join(spaced.split())
    found = []
    for b in banks:
        for alias in b.get("match", []):
            a = alias.casefold()
            if alias.isascii():
                after = r"\s*(?:bank|app|银行|信用卡)" if strict and len(a) <= 4 else ""
                hit = re.search(rf"(?<![a-z]){re.escape(a)}(?![a-z]){after}", spaced) is not None
            elif "银行" in alias or alias.endswith("行"):
                hit = a in folded
            else:
                hit = any(a + after in folded for after in _AFTER_SHORT_NAME)
            if hit:
                found.append(b)
                break
    return found


def _fail(path: Path, where: str, problem: str, problem_zh: str | None = None) -> RulePackError:
    return RulePackError(
        f"rule pack {path}: {where}: {problem}", f"规则包 {path}：{where}：{problem_zh or problem}"
    )


def _check(path: Path, where: str, item: Any, spec: Mapping[str, Any]) -> None:
    if not isinstance(item, dict):
        raise _fail(path, where, "expected a table")
    for key, typ in spec.items():
        if key not in item:
            raise _fail(path, f"{where}.{key}", "missing")
        value = item[key]
        if typ is int and (isinstance(value, bool) or not isinstance(value, int)):
            raise _fail(path, f"{where}.{key}", "expected a whole number")
        if not isinstance(value, typ):
            raise _fail(path, f"{where}.{key}", f"expected {typ.__name__}")
    if "tag" in spec and item["tag"] not in TAGS:
        raise _fail(path, f"{where}.tag", f"must be one of {', '.join(TAGS)}")


def validate(path: Path, data: dict[str, Any]) -> Pack:
    _check(
        path,
        "pack",
        data.get("pack"),
        {
            "key": str,
            "currency": str,
            "max_installment_months": int,
            "due_soon_days": int,
            "disclaimer_zh": str,
            "disclaimer_en": str,
        },
    )
    for tag in TAGS:
        _check(path, f"tags.{tag}", data.get("tags", {}).get(tag), {"zh": str, "en": str})
    stages = data.get("stages")
    if not isinstance(stages, list):
        raise _fail(path, "stages", "missing (an array of [[stages]] tables)")
    for i, stage in enumerate(stages):
        _check(path, f"stages[{i}]", stage, _STAGE)
        if "class_zh" in stage:
            _check(path, f"stages[{i}]", stage, _STAGE_CLASS)
            if stage["class_tag"] not in TAGS:
                raise _fail(path, f"stages[{i}].class_tag", f"must be one of {', '.join(TAGS)}")
    _check(path, "under_agreement", data.get("under_agreement"), _UNDER_AGREEMENT)
    _check(path, "parties", data.get("parties"), {"creditors": list})
    for i, line in enumerate(data.get("help_lines", [])):
        _check(path, f"help_lines[{i}]", line, _HELP_LINE)
    if not data.get("help_lines"):
        raise _fail(path, "help_lines", "missing (an array of [[help_lines]] tables)")
    for kind, table in data.get("names_en", {}).items():
        if not isinstance(table, dict) or not all(isinstance(n, str) for n in table.values()):
            raise _fail(path, f"names_en.{kind}", "each value needs an English name")
    for kind, table in data.get("words", {}).items():
        if not isinstance(table, dict) or not all(
            isinstance(ws, list) and all(isinstance(w, str) for w in ws) and ws
            for ws in table.values()
        ):
            raise _fail(path, f"words.{kind}", "each value needs a list of words")
    for i, topic in enumerate(data.get("topics", [])):
        _check(path, f"topics[{i}]", topic, _TOPIC)
        for j, item in enumerate(topic["items"]):
            _check(path, f"topics[{i}].items[{j}]", item, _ITEM)
    keys = tuple(s["key"] for s in stages)
    if keys != STAGE_KEYS:
        raise _fail(path, "stages", f"keys must be, in order: {', '.join(STAGE_KEYS)}")
    days = [s["start_day"] for s in stages]
    if days != sorted(days) or len(set(days)) != len(days) or days[0] < 1:
        raise _fail(path, "stages.start_day", "must rise strictly from 1 or more")
    for i, ev in enumerate(data.get("evidence", [])):
        if ev.get("stage") not in STAGE_KEYS:
            raise _fail(path, f"evidence[{i}].stage", "must be a stage key")
    for name, profile in data.get("bank_profiles", {}).items():
        _check(path, f"bank_profiles.{name}", profile, {"match": list})
        for key, day in profile.get("start_days", {}).items():
            if key not in STAGE_KEYS or not isinstance(day, int):
                raise _fail(
                    path,
                    f"bank_profiles.{name}.start_days.{key}",
                    "must be a stage key with a whole number",
                )
    _check(
        path,
        "hotlines",
        data.get("hotlines"),
        {"always_zh": str, "always_en": str, "unknown_zh": str, "unknown_en": str},
    )
    for i, bank in enumerate(data.get("banks", [])):
        _check(path, f"banks[{i}]", bank, _BANK)
    for i, rule in enumerate(data.get("conduct", [])):
        _check(path, f"conduct[{i}]", rule, _CONDUCT)
        if rule["kind"] not in CONDUCT_KINDS:
            raise _fail(path, f"conduct[{i}].kind", f"must be one of {', '.join(CONDUCT_KINDS)}")
        _check(path, f"conduct[{i}]", rule, _CONDUCT_PARAMS.get(rule["kind"], {}))
        for lang in ("zh", "en") if "label_zh" in rule or "label_en" in rule else ():
            label = rule.get(f"label_{lang}")
            if not isinstance(label, str):
                raise _fail(
                    path, f"conduct[{i}].label_{lang}", "missing: a label is in both languages"
                )
            try:
                label.format(**rule)
            except (KeyError, IndexError, ValueError) as exc:
                raise _fail(
                    path,
                    f"conduct[{i}].label_{lang}",
                    f"names {exc} in braces, which is not one of the rule's own fields",
                ) from exc
    for i, claim in enumerate(data.get("claims", [])):
        _check(path, f"claims[{i}]", claim, _CLAIM)
        for j, part in enumerate(claim.get("more", [])):
            _check(path, f"claims[{i}].more[{j}]", part, _ITEM)
    for key, spec in _INDICATORS.items():
        _check(path, f"indicators.{key}", data.get("indicators", {}).get(key), spec)
    phone = data.get("phone")
    if phone is not None:
        import re

        _check(path, "phone", phone, {"audio": list, "call_names": list, "sms": dict})
        for i, p in enumerate(phone["call_names"]):
            _check(path, f"phone.call_names[{i}]", p, {"phone": str, "pattern": str, "time": str})
            try:
                re.compile(p["pattern"])
            except re.error as exc:
                raise _fail(path, f"phone.call_names[{i}].pattern", str(exc)) from None
        words = ("overdue", "collection", "threats", "threats_with_debt", "debt")
        sms = phone["sms"]
        _check(
            path,
            "phone.sms",
            sms,
            {**dict.fromkeys(words, list), "not_collection": dict, "claims": dict},
        )
        for key in words:
            if not all(isinstance(w, str) and w.strip() for w in sms[key]):
                raise _fail(path, f"phone.sms.{key}", "must be a list of words")
        for kind, patterns in sms["not_collection"].items():
            if not isinstance(patterns, list) or not all(isinstance(p, str) for p in patterns):
                raise _fail(path, f"phone.sms.not_collection.{kind}", "must be a list of patterns")
            for p in patterns:
                try:
                    re.compile(p)
                except re.error as exc:
                    raise _fail(path, f"phone.sms.not_collection.{kind}", str(exc)) from None
        for key in phone["sms"]["claims"]:
            if key not in {c["key"] for c in data.get("claims", [])}:
                raise _fail(path, f"phone.sms.claims.{key}", "must be a key of [[claims]]")
    visit: Any = data.get("visit")
    _check(
        path,
        "visit",
        visit,
        {
            "title_zh": str,
            "title_en": str,
            "calm_zh": str,
            "calm_en": str,
            "sign_zh": str,
            "sign_en": str,
            "sections": list,
        },
    )
    for i, section in enumerate(visit["sections"]):
        _check(
            path, f"visit.sections[{i}]", section, {"key": str, "zh": str, "en": str, "items": list}
        )
        for j, item in enumerate(section["items"]):
            _check(path, f"visit.sections[{i}].items[{j}]", item, _ITEM)
    _check_letters(path, data.get("letters"))
    return Pack(key=data["pack"]["key"], path=path, data=data, stages=stages)


_LETTER_WARNINGS = ("limitation", "may", "art70", "pay")
_LETTER_FIGURES = ("complaint_answer_days", "dispute_answer_days", "recordings_kept_years")


def _check_letters(path: Path, letters: Any) -> None:
    """[letters]: the kinds (each with its templates), the warnings printed beside a letter,
    the figures letters state (days to answer, years recordings are kept) and the legal basis
    each kind cites. A pack without them would fail at `letter make`."""
    from debtcli.store import config_dir

    _check(
        path,
        "letters",
        letters,
        {"kinds": list, "warnings": dict, "figures": dict, "basis": list, "promises": list},
    )
    promises = letters["promises"]
    for p in promises:
        try:
            re.compile(p)
        except (re.error, TypeError) as exc:
            raise _fail(path, "letters.promises", str(exc)) from None
    built_in, keys = builtin_templates(), []
    for i, kind in enumerate(letters["kinds"]):
        _check(path, f"letters.kinds[{i}]", kind, _LETTER_KIND)
        for lang in ("zh", "en"):
            name = f"letters/{kind['key']}.{lang}.md.j2"  # the user's own, or built in
            found = [
                d / name for d in (config_dir() / "templates", built_in) if (d / name).is_file()
            ]
            if not found:
                raise _fail(
                    path, f"letters.kinds[{i}]", f"no template letters/{kind['key']}.{lang}.md.j2"
                )
            if not kind["acknowledges"] and (said := _promise_in(found[0], promises)):
                raise _fail(
                    path,
                    f"letters.kinds[{i}]",
                    f"{name} promises to pay ({said!r}), but the kind does not acknowledge the "
                    "debt, so it is written when the limitation period may have run: a promise "
                    "there gives up the defence (Civil Code Art. 192(2))",
                    f"{name} 含有还款承诺（{said!r}），而该类信件不确认欠款、在时效可能届满时也会写："
                    "此时的承诺会放弃时效抗辩（《民法典》第一百九十二条第二款）",
                )
        keys.append(kind["key"])
    _check(
        path,
        "letters.warnings",
        letters["warnings"],
        {f"{w}_{lang}": str for w in _LETTER_WARNINGS for lang in ("zh", "en")},
    )
    _check(path, "letters.figures", letters["figures"], dict.fromkeys(_LETTER_FIGURES, int))
    for i, basis in enumerate(letters["basis"]):
        _check(path, f"letters.basis[{i}]", basis, _LETTER_BASIS)
        if unknown := [k for k in basis["kinds"] if k not in keys]:
            raise _fail(
                path, f"letters.basis[{i}].kinds", f"not a letter kind: {', '.join(unknown)}"
            )


def promise_in(text: str, promises: list[str]) -> str | None:
    """The first promise to pay a letter's text holds (the pack's [letters] promises, matched
    case-insensitively in the text as written and with its spaces removed: 保 证还款)."""
    for p in promises:
        for seen in (text, "".join(text.split())):
            if m := re.search(p, seen, re.IGNORECASE):
                return m.group(0)
    return None


def _promise_in(template: Path, promises: list[str]) -> str | None:
    """promise_in over a letter template and every template it extends or includes (a block
    it overrides is still read: a promise anywhere in the chain is refused)."""
    seen: set[Path] = set()
    texts, todo = [], [template]
    while todo:
        path = todo.pop()
        if path in seen or not path.is_file():
            continue
        seen.add(path)
        text = path.read_text(encoding="utf-8")
        texts.append(text)
        for name in re.findall(r"{%-?\s*(?:extends|include|import|from)\s+[\"']([^\"']+)", text):
            todo += [root / name for root in (template.parent.parent, builtin_templates())]
    return promise_in("\n".join(texts), promises)


_CACHE: dict[str, Pack] = {}
PACK_MAX_BYTES = 4 << 20  # the built-in pack is about 60 KB


def _read(path: Path, cache_dir: Path | None) -> dict[str, Any]:
    """Parse a pack, through a marshal cache in cache_dir keyed by the file's size and mtime:
    parsing the TOML costs every command ~8 ms, reading the cache ~0.3 ms. The cache holds only
    the public rule pack, and any problem with it falls back to parsing."""
    import marshal

    try:
        st = path.stat()
    except OSError as exc:
        raise _fail(path, "file", *os_reason(exc)) from exc
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    cache = cache_dir / f"pack-{path.stem}.marshal" if cache_dir else None
    try:
        cached_key, data = marshal.loads(cache.read_bytes())  # type: ignore[union-attr]
        if tuple(cached_key) == key:
            return data
    except Exception:  # a missing, stale or unreadable cache is only a cache miss
        pass
    import tomllib  # only on a cache miss

    from debtcli.files import FileRefused, read_small

    try:
        data = tomllib.loads(read_small(path, PACK_MAX_BYTES).decode("utf-8"))
    except FileRefused as exc:  # a folder, not a plain file, or larger than a pack ever is
        raise _fail(path, "file", *exc.why) from exc
    except tomllib.TOMLDecodeError as exc:
        raise _fail(path, "syntax", str(exc)) from exc
    except UnicodeDecodeError as exc:  # TOML is UTF-8: a legacy encoding, or not text at all
        raise _fail(path, "file", "not UTF-8 text", "不是 UTF-8 文本") from exc
    except RecursionError as exc:
        raise _fail(path, "syntax", "nested too deeply", "嵌套过深") from exc
    if cache is not None and cache.parent.parent.is_dir():
        try:
            from debtcli.store import make_private_dir

            make_private_dir(cache.parent)
            tmp = cache.with_suffix(".tmp")
            tmp.write_bytes(marshal.dumps((key, data)))
            tmp.replace(cache)
        except OSError:
            pass
    return data


def load_pack(name_or_path: str, cache_dir: Path | None = None) -> Pack:
    """A pack by built-in name or .toml path. cache_dir, when given, keeps a parsed copy."""
    if name_or_path in _CACHE:
        return _CACHE[name_or_path]
    candidate = Path(name_or_path).expanduser()
    if name_or_path.endswith(".toml") or candidate.exists():
        path = candidate
    else:
        path = PACKS_DIR / f"{name_or_path}.toml"
        if not path.is_file():
            known = ", ".join(sorted(p.stem for p in PACKS_DIR.glob("*.toml")))
            raise RulePackError(
                f"no rule pack named {name_or_path!r} (built in: {known}; or give a .toml path)",
                f"没有名为 {name_or_path!r} 的规则包（内置：{known}；或给出 .toml 文件路径）",
            )
    pack = validate(path, _read(path, cache_dir))
    _CACHE[name_or_path] = pack
    return pack
