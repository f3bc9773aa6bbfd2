"""The house rules of docs/architecture.md, checked on every test run.

import-linter checks the layers and that no package has an import cycle; this file adds what it
cannot see: no project import inside a function (except in AppConfig.ready()), and modules and
functions small enough to read.
"""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("cms", "areas", "coordination", "common")
MAX_MODULE_LINES = 420
MAX_FUNCTION_LINES = 60
#: Demo data is a long list of sample pages on purpose.
EXEMPT_FROM_SIZE = {"cms/demo.py"}


def _code_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative or relative.endswith("conftest.py"):
                continue
            yield relative, ast.parse(path.read_text(encoding="utf-8"))


def _functions(tree):
    return [node for node in ast.walk(tree) if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))]


def _imported(node) -> str:
    return node.module if isinstance(node, ast.ImportFrom) else node.names[0].name


def test_the_import_contracts_hold():
    result = subprocess.run(
        [str(Path(sys.executable).with_name("lint-imports"))], cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout[-4000:]


def test_no_project_import_inside_a_function_except_in_ready():
    found = []
    for relative, tree in _code_files():
        for function in _functions(tree):
            if function.name == "ready" and relative.endswith("apps.py"):
                continue
            for node in ast.walk(function):
                if not isinstance(node, (ast.Import, ast.ImportFrom)):
                    continue
                if (_imported(node) or "").split(".")[0] in PACKAGES:
                    found.append(f"{relative}:{node.lineno} {_imported(node)}")
    assert found == []


def test_modules_stay_small():
    too_long = []
    for relative, _tree in _code_files():
        lines = len((ROOT / relative).read_text(encoding="utf-8").splitlines())
        if lines > MAX_MODULE_LINES and relative not in EXEMPT_FROM_SIZE:
            too_long.append(f"{relative}: {lines} lines")
    assert too_long == []


def test_functions_stay_small():
    too_long = []
    for relative, tree in _code_files():
        if relative in EXEMPT_FROM_SIZE:
            continue
        for function in _functions(tree):
            length = function.end_lineno - function.lineno + 1
            if length > MAX_FUNCTION_LINES:
                too_long.append(f"{relative}:{function.lineno} {function.name}() {length} lines")
    assert too_long == []
