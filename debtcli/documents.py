"""Documents for people to print or send: Markdown, HTML (print CSS, no network) and .docx.

One structure feeds every format: a title, optional lead paragraphs, and sections of items
(text with an optional source). python-docx is imported only when a .docx is asked for.
"""

import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO

from debtcli.errors import BadInput, os_reason

FORMATS = ("md", "html", "docx")
# Fonts Word and WPS have for Chinese; east-Asian runs need their own font attribute.
CJK_FONT = "SimSun"
LATIN_FONT = "Arial"


def choose_format(fmt: str | None, output: Path | None) -> str:
    if fmt:
        f = fmt.strip().lower().lstrip(".")
        if f == "markdown":
            f = "md"
        if f not in FORMATS:
            raise BadInput(
                f"--format {fmt!r}: choose md, html or docx",
                f"--format {fmt!r}：请选择 md、html 或 docx",
            )
        return f
    if output is not None and output.suffix.lower().lstrip(".") in FORMATS:
        return output.suffix.lower().lstrip(".")
    return "md"


def output_file(path: Path | str, example: str = "out.html") -> Path:
    """Where a command may write a file the user named with -o: a file name in a folder that
    exists, not a folder (refused with a file of the kind the command writes as example)."""
    from debtcli.files import replaceable

    path = Path(path)
    replaceable(path)
    if not path.name or path.is_dir():
        raise BadInput(
            f"-o {path}: that is a folder; give a file name, e.g. {path / example}",
            f"-o {path}：这是一个文件夹；请给出文件名，例如 {path / example}",
        )
    if not path.parent.is_dir():
        raise BadInput(
            f"-o {path}: the folder {path.parent} does not exist",
            f"-o {path}：文件夹 {path.parent} 不存在",
        )
    return path


def check_target(path: Path, replace: bool) -> Path:
    """A document's -o: a file (not a folder), in a format debtcli really writes (a .pdf named
    file holding Markdown would mislead), not replacing an existing file unless asked."""
    from debtcli.errors import NeedsConfirmation

    path = output_file(path)
    if path.suffix.lower() == ".pdf":
        raise BadInput(
            f"-o {path}: debtcli does not write PDF; write HTML (-o "
            f"{path.with_suffix('.html')}), open it in a browser and print to PDF",
            f"-o {path}：debtcli 不生成 PDF；请写成 HTML（-o {path.with_suffix('.html')}），"
            "用浏览器打开后打印为 PDF",
        )
    if path.exists() and not replace:
        raise NeedsConfirmation(
            f"{path} already exists; replace it? To replace it in a script, add --force",
            f"{path} 已存在；要替换吗？脚本中如要替换，请加 --force",
        )
    return path


@contextmanager
def private_file(path: Path) -> Iterator[tuple[Path, BinaryIO]]:
    """A file readable by the owner only (letters, bundles and backups carry personal data),
    written atomically: the block writes to a hidden .NAME.part beside it (its path is given
    too, to check what was written), which takes the name when the block ends and is removed
    if the block fails: the name holds the whole file or nothing new (a kill leaves only the
    hidden .part)."""
    tmp = path.with_name(f".{path.name}.part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            yield tmp, f
        from debtcli.system import replace

        replace(tmp, path)  # Windows: not while Word holds the old letter open
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_private(path: Path, data: bytes | Iterable[str], example: str = "out.html") -> None:
    """Write a document (private_file): data may be text in chunks (a long report), written
    as it comes. example: a file name of its kind, for a refused folder (output_file)."""
    path = output_file(path, example)
    try:
        with private_file(path) as (_, f):
            if isinstance(data, bytes):
                f.write(data)
            else:
                for chunk in data:
                    f.write(chunk.encode())
    except OSError as exc:
        en, zh = os_reason(exc)
        raise BadInput(f"cannot write {path}: {en}", f"无法写入 {path}：{zh}") from exc


def letter_body(md: str, fmt: str, title: str, lang: str) -> Any:
    """A letter written in Markdown as the format asked for: md (text), html (text) or docx
    (bytes)."""
    from debtcli.escape import for_document

    md = for_document(md)
    if fmt == "md":
        return md
    if fmt == "html":
        from debtcli.templating import render

        return render("letter.html.j2", {"blocks": md_blocks(md), "title": title, "lang": lang})
    return docx_bytes(md_blocks(md), title=title, lang=lang)


def md_blocks(text: str) -> list[dict[str, str]]:
    """The small Markdown our templates write: '# ' and '## ' headings, '- ' items, and
    paragraphs separated by blank lines (their line breaks kept)."""
    blocks: list[dict[str, str]] = []
    para: list[str] = []

    def flush() -> None:
        if para:
            blocks.append({"kind": "p", "text": "\n".join(para)})
            para.clear()

    for raw in text.splitlines():
        line = raw.rstrip()
        if not line.strip():
            flush()
        elif line.startswith("# "):
            flush()
            blocks.append({"kind": "h1", "text": line[2:].strip()})
        elif line.startswith("## "):
            flush()
            blocks.append({"kind": "h2", "text": line[3:].strip()})
        elif line.startswith("- "):
            flush()
            blocks.append({"kind": "li", "text": line[2:].strip()})
        else:
            para.append(line.strip())
    flush()
    return blocks


def blocks_md(blocks: list[dict[str, str]]) -> str:
    """Markdown from blocks, readable as it is in a terminal (md_blocks reads it back); an
    item's note (brackets included) goes on the line below it."""
    out: list[str] = []
    for i, b in enumerate(blocks):
        kind, text = b["kind"], b["text"]
        if i and not (kind == "li" and blocks[i - 1]["kind"] == "li"):
            out.append("")
        if kind in ("h1", "h2"):
            out.append(("# " if kind == "h1" else "## ") + text)
        elif kind == "li":
            out.append("- " + text.replace("\n", "\n  "))
            if b.get("note"):
                out.append(f"  {b['note']}")
        else:
            out.append(text)
    return "\n".join(out) + "\n"


def docx_bytes(
    blocks: list[dict[str, str]], *, big: bool = False, title: str = "", lang: str = "zh"
) -> bytes:
    """A .docx from blocks ({"kind": h1|h2|p|li, "text", "note"?: bracketed}), with an East Asian font
    set on every run so Word and WPS render Chinese, and a small grey note after an item. Its
    properties say what it is (title, zh-CN, made now) and nothing of the library that wrote
    it; the last paragraphs (the signature and date) stay on the page of the text before them."""
    import io
    from datetime import UTC, datetime

    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    d = Document()
    props = d.core_properties
    from debtcli.escape import for_document

    props.title = for_document(title or "")
    props.author = props.last_modified_by = ""
    props.comments = props.subject = props.keywords = props.category = ""
    props.language = "zh-CN" if lang == "zh" else "en-GB"
    props.created = props.modified = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    props.revision = 1
    from docx.shared import Mm

    for section in d.sections:  # A4, as Chinese banks and printers expect (not US Letter)
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20 if not big else 12)
        section.top_margin = section.bottom_margin = Mm(20 if not big else 12)
    style = d.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = Pt(15 if big else 11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        rpr = d.styles[name].element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
        d.styles[name].font.name = LATIN_FONT

    def run(paragraph: Any, text: str) -> Any:
        r = paragraph.add_run(for_document(text))
        r._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)
        return r

    for b in blocks:
        kind = b["kind"]
        if kind in ("h1", "h2"):
            p = d.add_heading(level=0 if kind == "h1" else 1)
            run(p, b["text"])
            continue
        p = d.add_paragraph(style="List Bullet" if kind == "li" else None)
        lines = b["text"].split("\n")
        for i, line in enumerate(lines):
            r = run(p, line)
            if i < len(lines) - 1:
                r.add_break()
        if b.get("note"):
            note = run(p, f"  {b['note']}")
            note.font.size = Pt(9 if big else 8)
            note.font.color.rgb = RGBColor(0x44, 0x44, 0x44)
    # Keep the closing (the last few paragraphs: signature, date) with what comes before it.
    for p in d.paragraphs[-4:-1]:
        p.paragraph_format.keep_with_next = True
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
