"""How well `log import-sms` tells collection messages from everything else in a real inbox.

    python benchmarks/sms_eval.py [--corpus ../shared/corpora/sms] [--show]

Builds an "SMS Backup & Restore" XML from a labelled corpus (JSON lines: `dev-collection.jsonl`,
collection and overdue messages; `dev-other.jsonl`, everything else, each with its `body` and
`sender`), lists what the installed debtcli would propose (`log import-sms FILE --json`, which
writes nothing) on a scratch store with three cards, and prints precision (proposed messages
that are collection) and recall (collection messages proposed), with the misjudged ones under
--show. The corpus stays where it is: nothing of it is copied into the project.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from xml.sax.saxutils import quoteattr

EXE = shutil.which("debtcli", path=str(Path(sys.executable).parent)) or "debtcli"
HERE = Path(__file__).resolve().parent


def backup_xml(messages: list[dict]) -> str:
    """The XML the Android app writes, one received message a minute from 2026-11-01."""
    start = 1_793_491_200_000  # 2026-11-01 00:00 UTC, in milliseconds
    rows = "".join(
        f'<sms protocol="0" address={quoteattr(m.get("sender") or "")} '
        f'date="{start + 60_000 * i}" type="1" body={quoteattr(m["body"])} read="1" />\n'
        for i, m in enumerate(messages)
    )
    return f"<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses>\n{rows}</smses>\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=HERE.parent.parent / "shared/corpora/sms")
    ap.add_argument("--show", action="store_true", help="print the misjudged messages")
    args = ap.parse_args()
    files = (
        sorted(args.corpus.glob("*-collection.jsonl")),
        sorted(args.corpus.glob("*-other.jsonl")),
    )
    if not files[0] or not files[1]:
        raise SystemExit(f"{args.corpus}: no *-collection.jsonl and *-other.jsonl to measure")
    labelled = [
        {**json.loads(line), "collection": collection}
        for collection, group in zip((True, False), files, strict=True)
        for f in group
        for line in f.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    tmp = Path(tempfile.mkdtemp(prefix="debtcli-sms-eval-"))
    env = {**os.environ, "DEBTCLI_LANG": "zh", "DEBTCLI_CONFIG": str(tmp / "config")}
    db = ["--db", str(tmp / "eval.db")]
    try:
        for bank, last4 in (("中信银行", "4821"), ("招商银行", "7730"), ("工商银行", "5511")):
            subprocess.run(
                [EXE, *db, "card", "add", "--bank", bank, "--last4", last4],
                env=env, check=True, capture_output=True,
            )  # fmt: skip
        xml = tmp / "inbox.xml"
        xml.write_text(backup_xml(labelled), encoding="utf-8")
        out = subprocess.run(
            [EXE, *db, "log", "import-sms", str(xml), "--json"],
            env=env, check=True, capture_output=True, text=True,
        ).stdout  # fmt: skip
        proposed = Counter(p["text"] for p in json.loads(out))
        why = {p["text"]: p["why"] for p in json.loads(out)}
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    taken = []
    for m in labelled:  # a text that occurs twice is proposed twice
        body = m["body"].replace("\r\n", "\n").replace("\r", "\n")
        hit = proposed[body] > 0
        if hit:
            proposed[body] -= 1
        taken.append((m, hit))
    tp = sum(1 for m, hit in taken if hit and m["collection"])
    fp = sum(1 for m, hit in taken if hit and not m["collection"])
    n_col = sum(m["collection"] for m in labelled)
    print(f"corpus: {args.corpus} ({n_col} collection, {len(labelled) - n_col} other)")
    print(f"proposed {tp + fp}: {tp} collection, {fp} other")
    print(f"precision {tp / max(1, tp + fp):.3f}   recall {tp / max(1, n_col):.3f}")
    by_kind = Counter(m.get("kind") or m.get("cat") for m, hit in taken if hit != m["collection"])
    if by_kind:
        print("misjudged by kind: " + ", ".join(f"{k} {n}" for k, n in by_kind.most_common()))
    if args.show:
        for m, hit in taken:
            if hit != m["collection"]:
                label = "missed" if m["collection"] else f"taken ({why.get(m['body'], '')})"
                print(f"  {label}: [{m.get('kind') or m.get('cat')}] {m['body'][:90]}")


if __name__ == "__main__":
    main()
