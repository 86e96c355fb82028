"""An evidence bundle checks every value it shows (issue 34): a forger who edits a bundle and
makes its manifest match again is caught by the entries' own hashes, whatever field, flag or
card mark they change, and a bundle of the wrong shape is refused in a line, never a crash."""

import json

import pytest
from conftest import log_add, rezip, zip_members


@pytest.fixture
def bundle(li_wei, tmp_path):
    """Li Wei's log with a recording on card 4821, exported whole: (cli, members)."""
    rec = tmp_path / "call.m4a"
    rec.write_bytes(b"\x00\x00\x00\x20ftypM4A recording of the 22:40 call")
    log_add(li_wei, "4821", "2026-11-10 22:40", "--party", "agency", "--org", "某某资产",
            "--contacted", "family", "--note", "called my mother", "--attach", rec,
            "--phone", "021-5555-0101")  # fmt: skip
    log_add(li_wei, "7730", "2026-11-12 10:00", "--party", "bank", "--note", "bank call")
    log_add(li_wei, "4821", "2026-11-15 09:00", "--party", "bank", "--note", "second call")
    li_wei("evidence", "export", "-o", tmp_path / "b.zip")
    return li_wei, zip_members(tmp_path / "b.zip")


def _verify(cli, members, tmp_path, lang="en", name="forged.zip"):
    path = rezip(members, tmp_path / name)
    r = cli("--lang", lang, "evidence", "verify", "--bundle", path, "--json", ok=False)
    assert "Traceback" not in r.output and r.exit_code in (0, 1, 2), r.output
    return r.exit_code, (json.loads(r.stdout) if r.exit_code != 2 else r.stderr)


def _entries(members):
    return json.loads(members["entries.json"])


def _with_entries(members, entries, **manifest):
    out = {**members, "entries.json": json.dumps(entries, ensure_ascii=False).encode()}
    if manifest:
        out["manifest.json"] = json.dumps({**json.loads(members["manifest.json"]), **manifest})
    return out


def _messages(doc):
    return " / ".join(p["message"] for p in doc["problems"])


def test_the_bundle_as_exported_verifies(bundle, tmp_path):
    cli, members = bundle
    code, doc = _verify(cli, members, tmp_path)
    assert code == 0 and doc["entries_verified"] == 3


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("note", "they were polite"),
        ("at", "2026-11-10T10:40:00+08:00"),
        ("contacted", "self"),
        ("attachments", []),
    ],
)
def test_a_value_replaced_with_its_commitment_given_instead_of_its_salt_fails(
    bundle, tmp_path, field, value
):
    """The forger keeps the field's original commitment (computed from its salt) and shows a
    new value: in a bundle that is not redacted, that is a failed check."""
    from debtcli.evidence import commitment

    cli, members = bundle
    entries = _entries(members)
    e = entries[0]
    original = (
        [{k: a[k] for k in ("sha256", "name", "size")} for a in e[field]]
        if field == "attachments"
        else e[field]
    )
    e.setdefault("commitments", {})[field] = commitment(e["salts"].pop(field), original)
    e[field] = value
    code, doc = _verify(cli, _with_entries(members, entries), tmp_path)
    assert code == 1 and not doc["ok"]
    assert f"field {field} is shown by a commitment instead of its salt" in _messages(doc)
    _, zh = _verify(cli, _with_entries(members, entries), tmp_path, "zh")
    assert f"字段 {field} 只给出承诺值而没有盐值" in _messages(zh)


def test_a_redacted_flag_does_not_let_a_full_bundle_drop_a_recording(bundle, tmp_path):
    cli, members = bundle
    manifest = json.loads(members["manifest.json"])
    [sha] = [n.removeprefix("attachments/") for n in members if n.startswith("attachments/")]
    cut = {n: d for n, d in members.items() if not n.startswith("attachments/")}
    cut["manifest.json"] = json.dumps(
        {**manifest, "redacted": True, "omitted_attachments": [{"entry": 4, "sha256": sha}]}
    ).encode()
    code, doc = _verify(cli, cut, tmp_path)
    assert code == 1 and "attachment call.m4a is missing from the bundle" in _messages(doc)


def test_an_entry_with_a_field_of_its_own_fails(bundle, tmp_path):
    cli, members = bundle
    entries = _entries(members)
    entries[1]["confirmed_by_bank"] = True
    code, doc = _verify(cli, _with_entries(members, entries), tmp_path)
    assert code == 1 and "unknown field confirmed_by_bank" in _messages(doc)


def test_an_entry_shown_twice_fails(bundle, tmp_path):
    cli, members = bundle
    entries = _entries(members)
    code, doc = _verify(cli, _with_entries(members, [*entries, entries[0]]), tmp_path)
    assert code == 1 and f"entry {entries[0]['id']} is shown twice" in _messages(doc)


def test_a_masked_field_is_allowed_only_masked_and_only_in_a_redacted_bundle(bundle, tmp_path):
    cli, _ = bundle
    cli("evidence", "export", "--redact", "-o", tmp_path / "r.zip")
    members = zip_members(tmp_path / "r.zip")
    code, doc = _verify(cli, members, tmp_path)
    assert code == 0 and doc["entries_masked"]
    entries = _entries(members)
    masked = next(e for e in entries if "commitments" in e and "phone" in e["commitments"])
    masked["phone"] = "021-5555-0199"  # a commitment standing behind a value shown in clear
    code, doc = _verify(cli, _with_entries(members, entries), tmp_path)
    assert code == 1 and "field phone is shown by a commitment but is not masked" in _messages(doc)


def test_a_one_card_bundle_proves_the_card_of_every_entry_it_leaves_out(bundle, tmp_path):
    cli, _ = bundle
    cli("evidence", "export", "4821", "-o", tmp_path / "one.zip")
    members = zip_members(tmp_path / "one.zip")
    code, doc = _verify(cli, members, tmp_path)
    assert code == 0 and doc["entries_of_other_cards"] == [2]
    # the card's own last entry taken out, its chain mark relabelled to the other card
    entries = [e for e in _entries(members) if e["id"] != 3]
    chain = json.loads(members["chain.json"])
    chain[2][3] = chain[1][3]
    forged = {**_with_entries(members, entries), "chain.json": json.dumps(chain).encode()}
    code, doc = _verify(cli, forged, tmp_path)
    assert code == 1 and "entry 3 of the chain is not in the bundle" in _messages(doc)
    # and with the other card's proof copied onto it
    chain[2] = [*chain[2][:4], chain[1][4]]
    forged["chain.json"] = json.dumps(chain).encode()
    code, doc = _verify(cli, forged, tmp_path)
    assert code == 1 and "entry 3 of the chain is not in the bundle" in _messages(doc)


def test_a_one_card_bundle_showing_another_cards_entry_fails(bundle, tmp_path):
    cli, members = bundle
    cli("evidence", "export", "4821", "-o", tmp_path / "one.zip")
    one = zip_members(tmp_path / "one.zip")
    other = next(e for e in _entries(members) if e["id"] == 2)
    code, doc = _verify(cli, _with_entries(one, [*_entries(one), other]), tmp_path)
    assert code == 1 and "entry 2 is another card's" in _messages(doc)


@pytest.mark.parametrize(
    "edit",
    [
        lambda es, ch, m: es[0].update(attachments="abc"),
        lambda es, ch, m: es[0].update(attachments=5),
        lambda es, ch, m: es[0].update(salts=5),
        lambda es, ch, m: es[0]["salts"].update(note=5),
        lambda es, ch, m: es[0].update(id=[1]),
        lambda es, ch, m: es[0].pop("prev_hash"),
        lambda es, ch, m: es[0].update(commitments=[1]),
        lambda es, ch, m: es.append(5),
        lambda es, ch, m: ch[0].__setitem__(0, "abc"),
        lambda es, ch, m: ch[0].__setitem__(0, None),
        lambda es, ch, m: ch[0].__setitem__(0, 1.0),
        lambda es, ch, m: m.update(redacted=True, withheld=5),
        lambda es, ch, m: m.update(redacted=True, withheld=[[1]]),
        lambda es, ch, m: m.update(chain_count="abc"),
        lambda es, ch, m: m.update(card_id="abc"),
    ],
)
def test_a_bundle_of_the_wrong_shape_is_refused_or_failed_in_a_line(bundle, tmp_path, edit):
    cli, members = bundle
    entries, chain = _entries(members), json.loads(members["chain.json"])
    manifest = json.loads(members["manifest.json"])
    edit(entries, chain, manifest)
    forged = {
        **members,
        "entries.json": json.dumps(entries).encode(),
        "chain.json": json.dumps(chain).encode(),
        "manifest.json": json.dumps(manifest).encode(),
    }
    code, out = _verify(cli, forged, tmp_path)
    assert code in (1, 2)
    if code == 2:
        assert out.count("\n") == 1


def test_a_bundle_that_inflates_like_a_bomb_is_refused_before_it_is_read(bundle, tmp_path):
    """A million identical links compress to almost nothing and would expand in memory."""
    cli, members = bundle
    link = json.loads(members["chain.json"])[0]
    members["chain.json"] = ("[\n" + ",\n".join([json.dumps(link)] * 1_000_000) + "\n]\n").encode()
    path = rezip(members, tmp_path / "bomb.zip")
    import zipfile

    with zipfile.ZipFile(path) as z, zipfile.ZipFile(tmp_path / "deflated.zip", "w",
                                                     zipfile.ZIP_DEFLATED) as out:  # fmt: skip
        for n in z.namelist():
            out.writestr(n, z.read(n))
    r = cli("evidence", "verify", "--bundle", tmp_path / "deflated.zip", ok=False)
    assert r.exit_code == 2 and "inflates" in r.stderr


@pytest.mark.parametrize("card", [[], ["4821"]])
def test_a_withheld_list_cannot_hide_an_entry_recorded_with_salted_commitments(
    bundle, tmp_path, card
):
    """Only entries recorded before salted commitments are ever withheld, and every entry
    since was recorded with them: claiming a later one withheld is taking it out."""
    cli, _ = bundle
    cli("evidence", "export", *card, "--redact", "-o", tmp_path / "r.zip")
    members = zip_members(tmp_path / "r.zip")
    entries = [e for e in _entries(members) if e["id"] != 3]
    forged = _with_entries(members, entries, withheld=[3])
    code, doc = _verify(cli, forged, tmp_path)
    assert code == 1 and "entry 3 of the chain is not in the bundle" in _messages(doc)
    assert doc["entries_withheld"] == []


def test_a_long_bundle_checked_on_every_core_finds_what_one_core_finds(
    li_wei, tmp_path, monkeypatch
):
    """verify --bundle hashes a long bundle's entries in worker processes, in order: a changed
    entry, a duplicate and a removed one are found as they are on one core."""
    import zipfile

    from debtcli import contactlog

    for minute in range(30):
        li_wei("log", "add", "4821", "--channel", "sms", "--party", "bank",
               "--at", f"2026-11-20 10:{minute:02d}", "--note", f"第{minute}条")  # fmt: skip
    bundle, forged = tmp_path / "b.zip", tmp_path / "f.zip"
    li_wei("evidence", "export", "-o", bundle)
    with zipfile.ZipFile(bundle) as z, zipfile.ZipFile(forged, "w") as out:
        for item in z.infolist():
            data = z.read(item)
            if item.filename == "entries.json":
                lines = data.decode().split("\n")
                lines[5] = lines[5].replace("第4条", "第44条")  # entry 5 changed
                lines[8] = lines[7]  # entry 8 replaced by a second entry 7
                data = "\n".join(lines).encode()
            out.writestr(item, data)
    results = []
    for parallel_from in (10**9, 1):
        monkeypatch.setattr(contactlog, "PARALLEL_FROM", parallel_from)
        monkeypatch.setattr(contactlog, "cores", lambda: 2)
        r = contactlog.verify_bundle(forged)
        results.append(sorted((p.entry or 0, p.kind, p.en) for p in r.problems))
    found = {(entry, kind) for entry, kind, _ in results[0]}
    assert results[0] == results[1] and {(5, "changed"), (7, "changed")} <= found
