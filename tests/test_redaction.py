"""Redaction that cannot be reversed (issue 17): a redacted bundle shows a masked field only by
its salted commitment, so a phone number cannot be recovered by trying candidates; the chain
and every field shown still verify; entries recorded before salted commitments are withheld
when they have anything to mask."""

import hashlib
import json
import sqlite3
import unicodedata
import zipfile
from datetime import date

import pytest
from conftest import log_add, zip_members
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as hs

from debtcli import contactlog
from debtcli import store as st
from debtcli.evidence import commitment, entry_hash
from debtcli.rules import load_pack

TODAY = date(2026, 11, 23)


def _export(store, path, **kw):
    return contactlog.export_bundle(
        store,
        load_pack("cn"),
        path,
        None,
        "zh",
        lambda ctx: json.dumps(ctx, ensure_ascii=False, default=str),
        redacted=True,
        **kw,
    )


def _store(tmp_path, name="s.db"):
    s = st.open_store(tmp_path / name, create=True)
    s.pack_loader = lambda: load_pack("cn")
    with s.write() as c:
        c.execute(
            "INSERT INTO cards (bank, last4, created_at) VALUES ('中信银行', '4821', "
            "'2026-08-01T00:00:00+08:00')"
        )
    return s, st.get_card(s, 1)


def _add(s, card, **raw):
    return contactlog.add(
        s, load_pack("cn"), card, {"at": "2026-11-20 10:00", "channel": "call", **raw}, [], TODAY
    )


def test_a_masked_phone_cannot_be_confirmed_even_by_the_right_guess(tmp_path):
    s, card = _store(tmp_path)
    _add(s, card, phone="13812345678", note="他说叫我妈还 13812345678", party="agency")
    _export(s, tmp_path / "b.zip")
    entry = json.loads(zip_members(tmp_path / "b.zip")["entries.json"])[0]
    assert entry["phone"] == "***" and "phone" not in entry["salts"]
    assert "13812345678" not in json.dumps(entry)
    # The old attack: hash each candidate until one matches. With the true number and every
    # salt the bundle holds, the commitment is still not reproduced.
    for salt in entry["salts"].values():
        assert commitment(salt, "13812345678") != entry["commitments"]["phone"]
    check = contactlog.verify_bundle(tmp_path / "b.zip")
    assert not check.problems and check.masked == [1] and check.verified == 1


SECRETS = hs.one_of(
    hs.builds(
        lambda a, b, sep, cc: f"{cc}1{a}{sep}{b[:4]}{sep}{b[4:]}",
        hs.sampled_from(["38", "39", "50", "86", "99"]),
        hs.text("0123456789", min_size=8, max_size=8),
        hs.sampled_from(["", " ", ".", "-", "－", "—"]),
        hs.sampled_from(["", "+86 ", "86-", "+86"]),
    ),
    hs.builds(
        lambda area, n: f"{area}-{n}",
        hs.sampled_from(["010", "021", "0755"]),
        hs.text("123456789", min_size=8, max_size=8),
    ),
    hs.builds(lambda n: f"110105199003{n}X", hs.text("0123456789", min_size=4, max_size=4)),
    hs.builds(
        lambda n: " ".join(n[i : i + 4] for i in range(0, 16, 4)),
        hs.text("0123456789", min_size=16, max_size=16),
    ),
    hs.builds(lambda u: f"{u}@qq.com", hs.text("abcdefghij", min_size=3, max_size=8)),
    hs.builds(lambda u: f"wxid_{u}", hs.text("abcdefgh123", min_size=6, max_size=10)),
)


def _forms(secret: str) -> list[bytes]:
    """Ways a value could sit in a file: as typed, NFKC, its digits alone, JSON-escaped,
    UTF-16."""
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", secret) if ch.isdigit())
    forms = {secret, unicodedata.normalize("NFKC", secret)}
    if len(digits) >= 7:
        forms.add(digits)
    out = [f.encode() for f in forms]
    out += [json.dumps(f).encode()[1:-1] for f in forms]
    out += [f.encode("utf-16-le") for f in forms]
    return out


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    secrets=hs.lists(SECRETS, min_size=1, max_size=4),
    where=hs.sampled_from(["note", "org", "pay_to", "promise"]),
    name=hs.sampled_from(["王小明", "Zhang Wei"]),
)
def test_no_masked_value_appears_in_a_redacted_bundle_and_it_verifies(
    tmp_path_factory, secrets, where, name
):
    tmp = tmp_path_factory.mktemp("r")
    s, card = _store(tmp)
    text = "对方说 " + "，".join(secrets) + f"，还提到{name}，2026-11-20 欠 62400 元"
    _add(s, card, **{where: text}, phone=secrets[0][:40], agent="张经理", agent_id="A0137")
    _add(s, card, note=f"张经理又打来，{name}接的", channel="sms")
    _export(s, tmp / "b.zip", mask_names=[name])
    members = zip_members(tmp / "b.zip")
    import re

    # Hashes and salts are hex: a run of digits inside one is not a value shown.
    blob = re.sub(rb"[0-9a-f]{32,}", b"#", b"\n".join(members.values()))
    for secret in [*secrets, name, "张经理", "A0137"]:
        for form in _forms(secret):
            assert form not in blob, (secret, form)
    assert b"2026-11-20" in members["entries.json"] and b"62400" in members["entries.json"]
    check = contactlog.verify_bundle(tmp / "b.zip")
    assert not check.problems and check.verified == 2 and check.masked == [1, 2]
    # Changing any field the bundle shows breaks it.
    entries = json.loads(members["entries.json"])
    for field in ("at", "channel", "party", "contacted", "direction", "card_id"):
        forged = json.loads(json.dumps(entries))
        forged[0][field] = {
            "at": "2026-11-21T10:00:00+08:00",
            "channel": "sms",
            "party": "bank",
            "contacted": "family",
            "direction": "out",
            "card_id": 2,
        }[field]
        result = contactlog.check_bundle(
            json.loads(members["chain.json"]),
            forged,
            {},
            set(),
            check.head,
            check.chain,
            redacted=True,
        )
        assert [p.kind for p in result.problems] == ["changed"], field
    s.close()


def _old_store(tmp_path):
    """A store whose three entries were recorded before salted commitments (schema 6), the third
    with a letter attached; opened, it is migrated. Returns the store and the letter's sha256."""
    path = tmp_path / "old.db"
    old = st.open_store(path, create=True, upto=6)
    conn = old.conn
    conn.execute(
        "INSERT INTO cards (bank, last4, created_at) VALUES ('中信银行', '4821', "
        "'2026-08-01T00:00:00+08:00')"
    )
    prev = st.GENESIS
    letter = b"%PDF-1.4 a reminder letter"
    sha = hashlib.sha256(letter).hexdigest()
    old.evidence_dir.mkdir(parents=True, exist_ok=True)
    (old.evidence_dir / sha).write_bytes(letter)
    attached = [{"sha256": sha, "name": "reminder.pdf", "size": len(letter), "mime": None}]
    # entry 3 has an attachment: a redacted bundle leaves attachments out, so withholds it
    for eid, note in ((1, "reminder"), (2, "called from 13812345678"), (3, "a letter came")):
        row = {k: None for k in st.CONTACT_INPUT}
        row.update(
            id=eid,
            card_id=1,
            at=f"2026-11-1{eid}T10:00:00+08:00",
            at_utc=f"2026-11-1{eid}T02:00:00+00:00",
            recorded_at="2026-11-20T10:00:00+08:00",
            channel="call",
            direction="in",
            party="bank",
            answered=1,
            contacted="self",
            note=note,
            prev_hash=prev,
        )
        row["hash"] = prev = entry_hash({**row, "salt": None}, attached if eid == 3 else [])
        cols = ["id", *st.CONTACT_INPUT, "prev_hash", "hash"]
        conn.execute(
            f"INSERT INTO contacts ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [row[c] for c in cols],
        )
    conn.execute(
        "INSERT INTO contact_attachments VALUES (3, 0, ?, 'reminder.pdf', ?, NULL)",
        (sha, len(letter)),
    )
    conn.execute("INSERT INTO meta VALUES ('chain_head', ?), ('chain_count', '3')", (prev,))
    conn.commit()
    old.close()
    return st.open_store(path), sha  # migrated: old entries keep their hashes


def test_entries_from_before_salted_commitments_are_withheld_only_when_they_need_masking(tmp_path):
    s, _ = _old_store(tmp_path)
    assert [r[0] for r in s.conn.execute("SELECT salt FROM contacts")] == [None, None, None]
    _add(s, st.get_card(s, 1), note="called from 13912345678 again")
    _, _, problems = contactlog.verify_store(s, parallel=False)
    assert problems == []
    m = _export(s, tmp_path / "b.zip")
    assert m["withheld"] == [2, 3]
    members = zip_members(tmp_path / "b.zip")
    assert b"13812345678" not in b"".join(members.values())
    check = contactlog.verify_bundle(tmp_path / "b.zip")
    assert not check.problems and check.verified == 2 and check.withheld == [2, 3]
    assert check.masked == [4]
    # Shown whole, an old entry verifies by its old hash, its attachment included.
    contactlog.export_bundle(
        s, load_pack("cn"), tmp_path / "all.zip", None, "zh", lambda ctx: "", redacted=False
    )
    whole = contactlog.verify_bundle(tmp_path / "all.zip")
    assert not whole.problems and whole.verified == 4 and whole.withheld == []
    _readme_recipe(tmp_path / "all.zip")  # old entries hash as the README says, by hand
    s.close()


def test_an_old_entry_masked_in_place_is_unchecked_and_one_changed_is_named(tmp_path):
    """Bundles of the second format masked entries in place, with no commitments ("***" for a
    whole field, or inside a note): such an entry cannot be checked and is said to be so, never
    passed as verified; an entry changed with nothing masked is named as changed."""
    s, sha = _old_store(tmp_path)
    contactlog.export_bundle(
        s, load_pack("cn"), tmp_path / "all.zip", None, "zh", lambda ctx: "", redacted=False
    )
    s.close()
    members = zip_members(tmp_path / "all.zip")
    chain, entries = json.loads(members["chain.json"]), json.loads(members["entries.json"])
    entries[0]["contacted"] = "***"
    entries[1]["note"] = "called from ***"
    entries[2]["note"] = "a letter came, and a second one"
    check = contactlog.check_bundle(chain, entries, {sha: sha}, set(), chain[-1][2], len(chain))
    assert check.unchecked == [1, 2] and check.verified == 0
    assert [(p.entry, p.kind) for p in check.problems] == [(3, "changed")]


def test_the_cli_says_what_a_redacted_bundle_shows(li_wei, tmp_path):
    log_add(
        li_wei,
        "4821",
        "2026-11-20 10:00",
        "--phone",
        "138 1234 5678",
        "--note",
        "王小明 was asked to pay",
    )
    li_wei("evidence", "export", "--redact", "--mask", "王小明", "-o", str(tmp_path / "b.zip"))
    r = li_wei("evidence", "verify", "--bundle", str(tmp_path / "b.zip"))
    assert "verified except their masked fields" in r.stdout and "is not evidence" in r.stdout
    assert "王小明" not in zip_members(tmp_path / "b.zip")["entries.json"].decode()
    r = li_wei("evidence", "export", "--mask", "王小明", "-o", str(tmp_path / "c.zip"), ok=False)
    assert r.exit_code == 2 and "--redact" in r.stderr


def test_the_seed_never_leaves_the_store(li_wei, tmp_path, db_path):
    log_add(li_wei, "4821", "2026-11-20 10:00")
    seed = sqlite3.connect(db_path).execute("SELECT salt FROM contacts").fetchone()[0]
    assert len(seed) == 32
    li_wei("evidence", "export", "-o", str(tmp_path / "b.zip"))
    assert seed.encode() not in b"".join(zip_members(tmp_path / "b.zip").values())
    listed = json.loads(li_wei("log", "list", "--json").stdout)
    assert seed not in json.dumps(listed)
    assert all("salts" not in e for e in listed)  # the fields' salts are for a bundle only


@settings(max_examples=150, deadline=None)
@given(
    values=hs.lists(
        hs.one_of(hs.none(), hs.integers(-5, 10**9), hs.text(max_size=30)), min_size=24, max_size=24
    ),
    # forged links too: not text, or text JSON must escape
    prev=hs.one_of(
        hs.just("ab" * 32),
        hs.text(max_size=8),
        hs.sampled_from(['a"b', "a\\b", "\n"]),
        hs.none(),
        hs.integers(),
    ),
    eid=hs.one_of(hs.integers(1, 10**9), hs.booleans(), hs.text(max_size=4), hs.none()),
    names=hs.lists(hs.text(min_size=1, max_size=12), max_size=2),
)
def test_the_fast_entry_hash_is_the_documented_one(values, prev, eid, names):
    """values_hash writes the canonical JSON out by hand for speed; it must equal the README's
    formula (commitment per field, then committed_hash) for any row, forged ones included."""
    import secrets

    from debtcli.evidence import CHAIN_COLUMNS, COMMITTED, committed_hash, field_salt, values_hash

    row = dict(zip([c for c in CHAIN_COLUMNS if c not in ("id", "prev_hash")], values, strict=True))
    row.update(id=eid, prev_hash=prev)
    atts = [{"sha256": "c" * 64, "name": n, "size": 3} for n in names]
    seed = secrets.token_hex(16)
    doc = {**row, "attachments": [dict(a) for a in atts]}
    expected = committed_hash(
        eid, prev, {f: commitment(field_salt(seed, f), doc[f]) for f in COMMITTED}
    )
    assert values_hash([row[c] for c in CHAIN_COLUMNS], atts, seed) == expected


def test_a_redacted_bundle_hides_numbers_in_attachment_names(li_wei, tmp_path):
    rec = tmp_path / "通话录音@张经理(13812345678)_20261120224000.m4a"
    rec.write_bytes(b"\x00\x00\x00 ftypM4A a recording")
    log_add(li_wei, "4821", "2026-11-20 22:40", "--attach", str(rec))
    li_wei("evidence", "export", "--redact", "-o", str(tmp_path / "b.zip"))
    members = zip_members(tmp_path / "b.zip")
    assert not any(b"13812345678" in data for data in members.values())
    assert not any("13812345678" in name for name in members)
    assert contactlog.verify_bundle(tmp_path / "b.zip").masked == [1]


def _readme_recipe(bundle) -> None:
    """Run the README's stand-alone check of a bundle, as printed, on `bundle` (it raises
    AssertionError where an entry does not hash to its link)."""
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    recipe = re.search(
        r"To re-check a bundle's entries without\s+debtcli:\s+```python\n(.*?)```", readme, re.S
    )[1]
    exec(recipe.replace('"bundle.zip"', repr(str(bundle))), {})


def test_the_readmes_recipe_checks_a_real_bundle_without_debtcli(li_wei, tmp_path):
    """The README tells how to re-check a bundle with nothing but Python's standard library:
    that recipe, run as printed, accepts a full and a redacted bundle (an attachment, a masked
    phone) and refuses one whose entry was edited."""
    rec = tmp_path / "call.m4a"
    rec.write_bytes(b"a recording")
    log_add(li_wei, "4821", "2026-11-20 10:00", "--party", "agency", "--phone", "13812345678",
            "--attach", str(rec), "--note", "张经理 called from 13812345678")  # fmt: skip
    log_add(li_wei, "7730", "2026-11-21 10:00", "--party", "bank", channel="sms")
    for args in ((), ("--redact",)):
        bundle = tmp_path / f"b{len(args)}.zip"
        li_wei("evidence", "export", *args, "-o", str(bundle))
        _readme_recipe(bundle)
    with zipfile.ZipFile(tmp_path / "b0.zip") as z:
        members = {n: z.read(n) for n in z.namelist()}
    members["entries.json"] = members["entries.json"].replace(b"called from", b"texted from")
    with zipfile.ZipFile(tmp_path / "edited.zip", "w") as z:
        for n, d in members.items():
            z.writestr(n, d)
    with pytest.raises(AssertionError):
        _readme_recipe(tmp_path / "edited.zip")


# Spellings people really type (issue 34): each must be masked, in the note of a redacted
# bundle; the generated secrets above were ASCII only, so removing the landline pattern or the
# full-width folding failed no test.
SPELLINGS = [
    "138  1234  5678",
    "138 - 1234 - 5678",
    "138/1234/5678",
    "138_1234_5678",
    "138\u200b1234\u200b5678",
    "(138)12345678",
    "1-3-8-1-2-3-4-5-6-7-8",
    "一三八一二三四五六七八",
    "幺三八幺二三四五六七八",
    "１３８－１２３４－５６７８",
    "+86 138 1234 5678",
    "(+86)13812345678",
    "+86 755 8888 1234",
    "(0755) 8888-1234",
    "０７５５－８８８８１２３４",
    "微信号是 zhangsan_88",
    "V信 lisi1234",
    "QQ 12345678",
    "QQ号：123456789",
    "见面,1234567",
    "它说.7654321",
    # found by an attack on the first version
    "138、1234、5678",
    "138，1234，5678",
    "138~1234~5678",
    "138*1234*5678",
    "138  -  1234  -  5678",
    "壹叁捌壹贰叁肆伍陆柒捌",
    "138\u034f1234\u180b5678",
    "138\ufe0f1234\u061c5678",
    "138\u202a1234 5678",
    "+86 (0)755 8888 1234",
    "微信 ID: lw_abcdef",
    "微 信 号 abcdef123",
    "身份证 110105 1949 1231 002X",
    # found by a second attack
    "QQ号 19880512",
    "19880512@qq.com",
    "wxid_20260101",
    "微信号 a19900101",
    "微信号是 li20001231",
    "138：1234：5678",
    "138|1234|5678",
    "138;1234;5678",
    "138'1234'5678",
    "v x ： liwei88",
    "壹參捌貳參肆伍陸柒捌玖",
    "幺三拐洞幺二三四五六七",
]


@pytest.mark.parametrize("spelling", SPELLINGS)
def test_every_spelling_of_a_number_is_masked(spelling):
    from debtcli.redact import mask_text

    masked = mask_text(f"对方留下 {spelling} 让我回电", ())
    assert masked.startswith("对方留下 ") and masked.endswith(" 让我回电"), masked
    digits = "".join(ch for ch in unicodedata.normalize("NFKC", masked) if ch.isdigit()) + "".join(
        ch for ch in masked if ch in "〇零一二三四五六七八九幺"
    )
    assert len(digits) < 5, (spelling, masked)


@pytest.mark.parametrize(
    "kept",
    [
        "2026-11-20 10:00 欠 62400 元",
        "欠 1,234,567 元",
        "三月一日",
        "3.1415926",
        "20261120",
        "¥ 1234567",
        "RMB 1234567",
        "CNY 12345678",
        "1234567.00",
        "20260103-20261231",
        "催收员说：明天还款（否则起诉）",
        "１２月３日，对方说：“再不还就起诉”",
    ],
)
def test_dates_and_amounts_stay(kept):
    from debtcli.redact import mask_text

    assert mask_text(kept, ()) == kept


@pytest.mark.parametrize("written", ["王 小明", "王小明", "zhang wei", "ZHANG  WEI", "ZhangWei"])
def test_a_listed_name_is_masked_however_it_is_spaced_or_cased(written):
    from debtcli.redact import mask_text

    assert mask_text(f"{written} 打来电话", ["王小明", "Zhang Wei"]) == "*** 打来电话"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_one_character_mask_is_refused_with_a_reason(li_wei, tmp_path, lang):
    from conftest import assert_clean_failure

    r = li_wei("--lang", lang, "evidence", "export", "--redact", "--mask", "王", "-o",
               tmp_path / "r.zip", ok=False)  # fmt: skip
    assert_clean_failure(r, says="--mask '王'")
    assert ("at least two characters" if lang == "en" else "至少两个字") in r.stderr
    assert not (tmp_path / "r.zip").exists()


def test_a_redacted_bundle_with_nothing_to_mask_in_a_note_verifies(li_wei, tmp_path):
    """Chinese punctuation is not something to mask: the note is shown as recorded, with its
    salt, and the honest redacted bundle verifies (it was called forged)."""
    log_add(li_wei, "4821", "2026-11-20 10:00", "--note", "催收员说：明天还款（否则起诉）")
    li_wei("evidence", "export", "--redact", "-o", tmp_path / "r.zip")
    [entry] = json.loads(zip_members(tmp_path / "r.zip")["entries.json"])
    assert entry["note"] == "催收员说：明天还款（否则起诉）" and "note" in entry["salts"]
    assert li_wei.json("evidence", "verify", "--bundle", tmp_path / "r.zip")["ok"]
