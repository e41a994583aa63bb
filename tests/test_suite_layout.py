"""The suite's own rule: what test modules share lives in helpers modules (conftest.py,
factories.py, *_helpers.py, helpers.py, ...), never in another test module."""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def _imported_modules(source: str, where: Path) -> list[str]:
    """The dotted names a module at `where` imports, relative imports resolved."""
    package = ".".join(where.relative_to(TESTS.parent).parent.parts)
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            found.append(".".join(part for part in (base, node.module or "") if part))
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def _is_test_module(module: str) -> bool:
    return module.startswith("tests") and module.rsplit(".", 1)[-1].startswith("test_")


def test_no_test_module_imports_another():
    offenders = [
        f"{path.relative_to(TESTS)} imports {module}"
        for path in TESTS.rglob("test_*.py")
        for module in _imported_modules(path.read_text(), path)
        if _is_test_module(module)
    ]
    assert offenders == []


def test_the_rule_sees_relative_and_absolute_imports_of_a_test_module():
    where = TESTS / "security" / "test_example.py"
    relative = _imported_modules("from .test_asvs import text\n", where)
    absolute = _imported_modules("from tests.mfa.test_passkeys import post_json\n", where)
    helpers = _imported_modules("from .helpers import text\n", where)
    assert [_is_test_module(m) for m in relative + absolute + helpers] == [True, True, False]
