"""Where templates come from, and the two jinja2 environments that render them.

Built-in templates ship inside the wheel (debtcli/templates, from the top-level templates/
folder); in a source checkout they are read from templates/ directly. jinja2 is imported here,
inside functions, so commands that render nothing never pay for it.
"""

from importlib import resources
from pathlib import Path
from typing import Any


def builtin_dir() -> Path:
    packaged = Path(str(resources.files("debtcli"))) / "templates"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parent.parent / "templates"


def render(name: str, context: dict[str, Any], *, html: bool | None = None) -> str:
    """Render a built-in template. HTML templates autoescape; user text is always data."""
    from jinja2 import Environment, FileSystemLoader, StrictUndefined

    escape = name.endswith((".html.j2", ".html")) if html is None else html
    env = Environment(loader=FileSystemLoader(str(builtin_dir())), autoescape=escape,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                      keep_trailing_newline=True)
    return env.get_template(name).render(**context)
