"""The shape of the code (ARCHITECTURE.md): apps in layers that import downwards only, small
modules, public names between modules, and an audit log that can describe every entry."""

import ast
import re
import subprocess
from pathlib import Path

import pytest

from audit import registry as audit_registry
from notices import registry as notice_registry

ROOT = Path(__file__).resolve().parent.parent
APPS = [
    "accounts",
    "api",
    "audit",
    "board",
    "demo",
    "events",
    "fields",
    "halle_smartcity",
    "ideas",
    "measures",
    "notices",
    "pages",
    "review",
]
MAX_LINES = 520


def modules():
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_the_layers_hold():
    result = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "lint-imports"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_no_module_is_longer_than_about_500_lines():
    long = {
        str(path.relative_to(ROOT)): count
        for path in modules()
        if (count := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_no_module_imports_another_modules_private_name():
    found = []
    for path in modules():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or node.level):
                private = [alias.name for alias in node.names if alias.name.startswith("_")]
                if private:
                    found.append(f"{path.relative_to(ROOT)}: {node.module} {private}")
    assert found == []


ACTION = re.compile(r"""action=\s*"([a-z_]+\.[a-z_]+\.[a-z_]+)\"""")


@pytest.mark.django_db
def test_every_audit_action_the_code_writes_has_a_readable_description():
    written = set()
    for path in modules():
        written |= set(ACTION.findall(path.read_text(encoding="utf-8")))
    assert len(written) > 30  # the scan finds what the services write
    described = {action.code for action in audit_registry.actions()}
    assert written - described == set()
    assert all(str(action.label) for action in audit_registry.actions())


def test_every_notice_kind_has_both_templates():
    missing = [
        f"{kind.template}.{suffix}"
        for kind in notice_registry.kinds()
        for suffix in ("txt", "html")
        if not (ROOT / "templates" / f"{kind.template}.{suffix}").exists()
    ]
    assert len(notice_registry.kinds()) == 25
    assert missing == []
