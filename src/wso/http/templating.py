"""One Jinja2 environment for every page; each area keeps its templates in a subfolder."""

from __future__ import annotations

from pathlib import Path

from fastapi.templating import Jinja2Templates

from wso import __version__

TEMPLATES_DIR = Path(__file__).parent / "templates"
STATIC_DIR = Path(__file__).parent / "static"

templates = Jinja2Templates(directory=TEMPLATES_DIR)
templates.env.globals["version"] = __version__
