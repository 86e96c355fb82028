"""Where templates come from, and the two jinja2 environments that render them.

Built-in templates ship inside the wheel (debtcli/templates, from the top-level templates/
folder); in a source checkout they are read from templates/ directly. jinja2 is imported here,
inside functions, so commands that render nothing never pay for it.
"""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from debtcli.rules import builtin_templates as builtin_dir  # beside the packs, read at start-up


def render(name: str, context: dict[str, Any], *, html: bool | None = None) -> str:
    """Render a built-in template. HTML templates autoescape; user text is always data."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    escape = name.endswith((".html.j2", ".html")) if html is None else html
    env = Environment(
        loader=FileSystemLoader(str(builtin_dir())),
        autoescape=escape,
        undefined=StrictUndefined,
        trim_blocks=not name.startswith("letters/"),
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return tidy(env.get_template(name).render(**context), name)


def stream(name: str, context: dict[str, Any]) -> Iterator[str]:
    """A built-in HTML template rendered in chunks as it goes (jinja2's generate): a report of
    a long log is never one string in memory."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    env = Environment(
        loader=FileSystemLoader(str(builtin_dir())),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    return env.get_template(name).generate(**context)


def tidy(text: str, name: str) -> str:
    """Markdown from templates: at most one blank line between paragraphs. (Block tags at a
    line's end would otherwise decide whether two paragraphs merge.)"""
    import re

    if not name.endswith(".md.j2"):
        return text
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def render_user(folder: Path, name: str, context: dict[str, Any]) -> str:
    """Render a template the user copied out and edited, in jinja2's sandbox: a template from
    outside the package must not reach Python. Built-in templates stay available to it
    (a letter extends the built-in base)."""
    from jinja2 import ChoiceLoader, FileSystemLoader, StrictUndefined, TemplateError
    from jinja2.sandbox import SandboxedEnvironment

    from debtcli.errors import BadInput

    env = SandboxedEnvironment(
        loader=ChoiceLoader([FileSystemLoader(str(folder)), FileSystemLoader(str(builtin_dir()))]),
        autoescape=False,
        undefined=StrictUndefined,
        trim_blocks=False,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    try:
        return tidy(env.get_template(name).render(**context), name)
    except (
        TemplateError,
        RecursionError,
        TypeError,
        ValueError,
        ArithmeticError,
        AttributeError,
        LookupError,
    ) as exc:
        # Whatever is wrong in the user's own template is theirs to fix: say where, in a line.
        line = getattr(exc, "lineno", None)
        where = f"{folder / name}" + (f", line {line}" if line else "")
        raise BadInput(
            f"your template {where} cannot be used: {type(exc).__name__}: "
            f"{str(exc)[:200]} (fix it, or delete it to use the built-in one)",
            f"你的模板 {where} 无法使用：{type(exc).__name__}：{str(exc)[:200]}"
            "（请修改，或删除它以使用内置模板）",
        ) from exc
    except UnicodeDecodeError as exc:
        raise BadInput(
            f"your template {folder / name} is not UTF-8 text",
            f"你的模板 {folder / name} 不是 UTF-8 文本",
        ) from exc
