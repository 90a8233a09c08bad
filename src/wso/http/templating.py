"""One Jinja2 environment for every page: the shared look here, each area's templates in its own folder.

The search path starts with wso/http/templates (base.html, records/layout.html, records/macros.html,
records/error.html); each area adds its `templates/` folder when its pages module is imported, and
names its templates after itself ("officers/roster.html"), so two areas never shadow each other.
"""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates
from jinja2 import FileSystemLoader

from wso import __version__, settings
from wso.params import default_params

TEMPLATES_DIR = Path(__file__).parent / "templates"

templates = Jinja2Templates(directory=[TEMPLATES_DIR])
_loader = templates.env.loader
assert isinstance(_loader, FileSystemLoader)
templates.env.globals["version"] = __version__


def current_param(key: str) -> object:
    """A parameter's value in force now, for a page that tells the user a rule's number (the password's minimum
    length of S3): the number lives in params/ only, so the page says what the rule checks."""
    return default_params().at(key, settings.now()).value


templates.env.globals["current_param"] = current_param


def add_templates(directory: Path) -> None:
    """Puts an area's templates folder on the one search path (once, however often it is called)."""
    if str(directory) not in _loader.searchpath:
        _loader.searchpath.append(str(directory))
