"""docs/operations.md and the README say what the code does: the settings table names every
environment variable the settings read and no other, the variables production requires are
the ones it refuses to start without, the backup scripts' variables are documented, and the
links between the documents lead somewhere."""

import ast
import re
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from django.core import signing
from django.test import override_settings

from notices.tokens import UNSUBSCRIBE_SALT
from tests.settings_process import PROD_ENV, load_prod, run_with_settings

ROOT = Path(__file__).resolve().parent.parent
SETTINGS = ROOT / "halle_smartcity" / "settings"
GUIDE = ROOT / "docs" / "operations.md"
README = ROOT / "README.md"

NOT_YET_READ: set[str] = set()  # names the guide documents ahead of the settings reading them


def _literal(node: ast.AST) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def settings_reads() -> set[str]:
    """Every variable name the settings modules read: env(), env_*(), require*() and os.environ
    in all its forms, and dj_database_url.config() (DATABASE_URL)."""
    names = set()
    for path in SETTINGS.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                func = node.func
                first = _literal(node.args[0]) if node.args else None
                if isinstance(func, ast.Name) and re.fullmatch(r"env\w*|require\w*", func.id):
                    names.add(first)
                elif isinstance(func, ast.Attribute) and func.attr in {"get", "setdefault"}:
                    if ast.unparse(func.value) == "os.environ":
                        names.add(first)
                elif isinstance(func, ast.Attribute) and ast.unparse(func) == "os.getenv":
                    names.add(first)
                elif isinstance(func, ast.Attribute) and ast.unparse(func) == (
                    "dj_database_url.config"
                ):
                    keywords = {kw.arg: _literal(kw.value) for kw in node.keywords}
                    names.add(keywords.get("env", "DATABASE_URL"))
            elif isinstance(node, ast.Subscript) and ast.unparse(node.value) == "os.environ":
                names.add(_literal(node.slice))
    names.discard(None)
    return names


def section(text: str, heading: str) -> str:
    start = text.index(f"\n## {heading}\n")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def table_rows(text: str) -> list[list[str]]:
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in text.splitlines()
        if line.startswith("|")
    ]
    return [row for row in rows if not set(row[0]) <= {"-", " "} and row[0] != "variable"]


def settings_table() -> dict[str, list[str]]:
    tables = section(GUIDE.read_text(encoding="utf-8"), "Settings").split("Other variables")
    rows = {}
    for row in table_rows(tables[0]):
        [name] = re.findall(r"`([A-Z][A-Z0-9_]*)`", row[0])
        assert name not in rows, f"{name} twice"
        rows[name] = row
    return rows


def other_variables() -> set[str]:
    tables = section(GUIDE.read_text(encoding="utf-8"), "Settings").split("Other variables")
    return {name for row in table_rows(tables[1]) for name in re.findall(r"`([A-Z_]+)`", row[0])}


def test_the_settings_table_lists_every_variable_the_settings_read_and_no_other():
    read = settings_reads()
    documented = set(settings_table())
    assert read - documented == set(), "read by the settings, missing in docs/operations.md"
    assert documented - read - NOT_YET_READ == set(), "in docs/operations.md, read by nothing"
    assert NOT_YET_READ & read == set(), "now read by the settings: remove from NOT_YET_READ"


def test_the_reader_finds_every_form_of_reading_the_environment(tmp_path, monkeypatch):
    (tmp_path / "example.py").write_text(
        "import os\n"
        "import dj_database_url\n"
        'A = env("ONE", "x")\n'
        'B = env_int("TWO", 3)\n'
        'C = require_url("THREE", {"https"})\n'
        'D = os.environ.get("FOUR")\n'
        'E = os.environ["FIVE"]\n'
        'os.environ.setdefault("SIX", "")\n'
        'F = os.getenv("SEVEN")\n'
        "G = dj_database_url.config(conn_max_age=60)\n"
        "H = env(name)  # not a literal: the caller names it\n"
    )
    monkeypatch.setattr(sys.modules[__name__], "SETTINGS", tmp_path)
    assert settings_reads() == {
        "ONE", "TWO", "THREE", "FOUR", "FIVE", "SIX", "SEVEN", "DATABASE_URL",
    }  # fmt: skip


@pytest.fixture(scope="module")
def required_in_production() -> set[str]:
    """The variables production refuses to start without, found by starting it without each
    one in turn. (A requirement may be a require(), a validator or a refusal naming the
    variable: only starting it tells.)"""
    assert load_prod(PROD_ENV).returncode == 0

    def refused(name: str) -> bool:
        result = load_prod({key: value for key, value in PROD_ENV.items() if key != name})
        return result.returncode != 0 and name in result.stderr

    with ThreadPoolExecutor(max_workers=4) as pool:
        outcomes = dict(zip(PROD_ENV, pool.map(refused, PROD_ENV), strict=True))
    return {name for name, was_refused in outcomes.items() if was_refused}


def test_the_guide_marks_exactly_the_variables_production_requires(required_in_production):
    marked = {name for name, row in settings_table().items() if row[3].startswith("yes")}
    assert marked == required_in_production


def test_the_readme_names_exactly_the_variables_production_requires(required_in_production):
    text = README.read_text(encoding="utf-8")
    paragraph = text[text.index("Required in production") :].split("\n\n")[0]
    assert set(re.findall(r"`([A-Z][A-Z0-9_]*)`", paragraph)) == required_in_production


def test_the_readme_opens_with_the_two_commands():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "# Mitmachen"
    assert lines[1:3] == ["", "```sh"]
    assert [line.split()[:2] for line in lines[3:5]] == [["./dev", "run"], ["./dev", "test"]]
    assert lines[5] == "```"


def test_the_backup_scripts_variables_are_documented():
    used = set()
    for script in ("backup.sh", "restore.sh"):
        text = (ROOT / "deploy" / script).read_text(encoding="utf-8")
        code = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
        used |= set(re.findall(r"\$\{?([A-Z][A-Z0-9_]+)", code))
    assert {"BACKUP_DIR", "BACKUP_KEEP_DAYS", "DATABASE_URL", "MANAGE"} <= used
    assert used - other_variables() == set()


def anchors(path: Path) -> set[str]:
    """GitHub's anchors of the headings: lower case, punctuation dropped, spaces as hyphens."""
    headings = re.findall(r"^#+ (.+)$", path.read_text(encoding="utf-8"), re.MULTILINE)
    return {
        re.sub(r"[^\w\- ]", "", heading).strip().lower().replace(" ", "-") for heading in headings
    }


def test_links_between_the_documents_lead_somewhere():
    broken = []
    for document in [README, ROOT / "CHANGELOG.md", *sorted((ROOT / "docs").glob("*.md"))]:
        text = document.read_text(encoding="utf-8")
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target):
                continue
            file, _, anchor = target.partition("#")
            path = (document.parent / file).resolve() if file else document
            if not path.exists():
                broken.append(f"{document.name}: {target}")
            elif anchor and path.suffix == ".md" and anchor not in anchors(path):
                broken.append(f"{document.name}: {target} (no such heading)")
    assert broken == []


def test_a_rotated_secret_key_keeps_sent_unsubscribe_links_working(settings):
    token = signing.dumps(["person@example.org", "call_news", 7], salt=UNSUBSCRIBE_SALT)
    with override_settings(SECRET_KEY="n3w-" * 15, SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert signing.loads(token, salt=UNSUBSCRIBE_SALT)[0] == "person@example.org"
    with (
        override_settings(SECRET_KEY="n3w-" * 15, SECRET_KEY_FALLBACKS=[]),
        pytest.raises(signing.BadSignature, match="does not match"),
    ):
        signing.loads(token, salt=UNSUBSCRIBE_SALT)


def test_the_fallback_keys_come_from_the_environment():
    code = "from django.conf import settings as s; print(s.SECRET_KEY_FALLBACKS)"
    keys = {"SECRET_KEY_FALLBACKS": "first-old-key, second-old-key"}
    result = run_with_settings("dev", keys, code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['first-old-key', 'second-old-key']"
