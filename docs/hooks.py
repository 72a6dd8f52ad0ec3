"""mkdocs hooks: add the generated reference pages and fill ``<!-- gen:NAME -->`` markers.

Generated pages live only in the build (``File.generated``): nothing is written into docs/.
A page listed in the nav that someone else has not written yet (``performance.md``) gets a
short placeholder, so that ``mkdocs build --strict`` keeps passing.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

_HERE = Path(__file__).resolve().parent


def _gen() -> ModuleType:
    name = "aipower_docs_gen_pages"
    module = sys.modules.get(name)
    if module is None:
        spec = importlib.util.spec_from_file_location(name, _HERE / "gen_pages.py")
        assert spec is not None
        assert spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return module


def on_files(files: Any, config: Any) -> Any:
    from mkdocs.structure.files import File

    gen = _gen()
    for path, text in gen.pages().items():
        files.append(File.generated(config, path, content=text))
    for path, text in gen.PLACEHOLDERS.items():
        if files.get_file_from_path(path) is None:
            files.append(File.generated(config, path, content=text))
    return files


def on_page_markdown(markdown: str, page: Any, config: Any, files: Any) -> str:
    if "<!-- gen:" not in markdown:
        return markdown
    result: str = _gen().render_snippets(markdown)
    return result
