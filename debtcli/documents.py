"""Documents for people to print or send: Markdown, HTML (print CSS, no network) and .docx.

One structure feeds every format: a title, optional lead paragraphs, and sections of items
(text with an optional source). python-docx is imported only when a .docx is asked for.
"""

import os
from pathlib import Path
from typing import Any

from debtcli.errors import BadInput

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
            raise BadInput(f"--format {fmt!r}: choose md, html or docx",
                           f"--format {fmt!r}：请选择 md、html 或 docx")
        return f
    if output is not None and output.suffix.lower().lstrip(".") in FORMATS:
        return output.suffix.lower().lstrip(".")
    return "md"


def write_private(path: Path, data: bytes) -> None:
    """Write atomically, readable by the owner only: letters carry personal data."""
    path = Path(path)
    tmp = path.with_name(f".{path.name}.part")
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise BadInput(f"cannot write {path}: {exc.strerror or exc}",
                       f"无法写入 {path}：{exc.strerror or exc}") from exc


def docx_bytes(doc: dict[str, Any], *, big: bool = False) -> bytes:
    """doc: {"title", "lead": [str], "sections": [{"heading", "items": [{"text",
    "source"?}]}], "closing": [str]}."""
    import io

    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Pt

    d = Document()
    style = d.styles["Normal"]
    style.font.name = LATIN_FONT
    style.font.size = Pt(16 if big else 11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), CJK_FONT)
    for name in ("Title", "Heading 1", "Heading 2"):
        st = d.styles[name]
        st.font.name = LATIN_FONT
        rpr = st.element.get_or_add_rPr()
        rpr.get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)

    def cjk(run: Any) -> None:
        run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), CJK_FONT)

    cjk(d.add_heading(doc["title"], level=0).runs[0])
    for para in doc.get("lead", []):
        cjk(d.add_paragraph(para).runs[0])
    for section in doc.get("sections", []):
        if section.get("heading"):
            cjk(d.add_heading(section["heading"], level=1).runs[0])
        for item in section.get("items", []):
            p = d.add_paragraph(style="List Bullet" if section.get("bullets", True) else None)
            cjk(p.add_run(item["text"]))
            if item.get("source"):
                r = p.add_run(f"  ({item['source']})")
                r.font.size = Pt(10 if big else 8)
                cjk(r)
    for para in doc.get("closing", []):
        cjk(d.add_paragraph(para).runs[0])
    out = io.BytesIO()
    d.save(out)
    return out.getvalue()
