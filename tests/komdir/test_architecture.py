"""The shape of the house (docs/architecture.md) that `lint-imports` cannot see.

import-linter checks the direction of every import, in functions too. What it cannot tell is
*where* an import sits: an import of another app hidden inside a function dodges a cycle
instead of removing it, so only `AppConfig.ready()` and management commands may do that.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "members",
    "focus",
    "circles",
    "komdir.lib",
    "komdir.notifications",
    "komdir.overview",
    "komdir.directory",
    "komdir.search",
    "komdir.privacy",
    "komdir.demo",
)
SOURCE_LIMIT = 400  # lines; a module that grows past it is split into a package by concept


def _app_of(module: str) -> str | None:
    for app in sorted(APPS, key=len, reverse=True):
        if module == app or module.startswith(app + "."):
            return app
    return None


def _modules():
    for app in APPS:
        folder = ROOT.joinpath(*app.split("."))
        for path in folder.rglob("*.py"):
            relative = path.relative_to(ROOT)
            if "migrations" in relative.parts:
                continue
            module = ".".join(relative.with_suffix("").parts)
            if _app_of(module) == app:
                yield app, module, path


def _function_imports(tree: ast.AST):
    """(function name, imported module, line) for every import inside a function body."""
    for func in ast.walk(tree):
        if not isinstance(func, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(func):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    yield func.name, alias.name, node.lineno
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                yield func.name, node.module, node.lineno
                for alias in node.names:
                    yield func.name, f"{node.module}.{alias.name}", node.lineno


def _allowed(path: Path, function: str) -> bool:
    return ("management" in path.parts and "commands" in path.parts) or (
        path.name == "apps.py" and function == "ready"
    )


def test_no_app_imports_another_inside_a_function():
    found = []
    for app, _module, path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function, imported, line in _function_imports(tree):
            other = _app_of(imported)
            if other is not None and other != app and not _allowed(path, function):
                found.append(f"{path.relative_to(ROOT)}:{line} {function}() imports {imported}")
    assert found == []


def test_the_check_sees_an_import_hidden_in_a_function():
    tree = ast.parse("def f():\n    from circles.models import Meeting\n")
    assert [(f, m) for f, m, _line in _function_imports(tree)] == [
        ("f", "circles.models"),
        ("f", "circles.models.Meeting"),
    ]


@pytest.mark.parametrize("app", APPS)
def test_no_source_file_is_over_the_size_of_one_room(app):
    too_long = {
        str(path.relative_to(ROOT)): lines
        for found_app, _module, path in _modules()
        if found_app == app and (lines := len(path.read_text(encoding="utf-8").splitlines())) > SOURCE_LIMIT
    }
    assert too_long == {}


def test_views_leave_the_login_to_the_middleware():
    """Every page needs a login unless marked public (komdir.lib.access); no view guards it by hand."""
    guards = []
    for _app, module, path in _modules():
        if not (module.endswith(".views") or ".views." in module):
            continue
        text = path.read_text(encoding="utf-8")
        for needle in ("redirect_to_login(", "@login_required", "is_authenticated:\n"):
            if needle in text:
                guards.append(f"{path.relative_to(ROOT)}: {needle.strip()}")
    assert guards == []
