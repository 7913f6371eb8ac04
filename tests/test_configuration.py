"""Issue 21.6: docs/configuration.md lists every environment variable Harbour reads, and nothing it does not.

Read from the code itself: every call of settings.py's readers (`env`, `envbool`, `envint`, `envkeys`,
`required`) and of `os.environ.get`/`os.getenv`/`os.environ[...]` in every module Harbour runs (tests and
benchmarks aside), and every `${NAME:-default}` in scripts/run.sh."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "configuration.md"
READERS = {"env", "envbool", "envint", "envkeys", "required"}
NOT_SHIPPED = {".venv", "tests", "bench", "node_modules", "migrations", "var", ".git", ".hypothesis"}


def shipped_modules():
    for path in sorted(ROOT.rglob("*.py")):
        parts = set(path.relative_to(ROOT).parts[:-1])
        if not parts & NOT_SHIPPED and not path.name.startswith("test_"):
            yield path


def _is_environ(node):
    return isinstance(node, ast.Attribute) and node.attr == "environ" and getattr(node.value, "id", "") == "os"


def names_read(tree):
    for node in ast.walk(tree):
        key = None
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant):
            func = node.func
            if isinstance(func, ast.Name) and func.id in READERS:
                key = node.args[0].value
            elif isinstance(func, ast.Attribute) and func.attr in ("get", "setdefault", "pop"):
                key = node.args[0].value if _is_environ(func.value) else None
            elif isinstance(func, ast.Attribute) and func.attr == "getenv":
                key = node.args[0].value
        elif isinstance(node, ast.Subscript) and _is_environ(node.value) and isinstance(node.slice, ast.Constant):
            key = node.slice.value
        if isinstance(key, str) and key.isupper():
            yield key


def variables_read():
    found = {}
    for path in shipped_modules():
        for name in names_read(ast.parse(path.read_text(), str(path))):
            found.setdefault(name, path.relative_to(ROOT).as_posix())
    for name in re.findall(r"\$\{([A-Z][A-Z0-9_]*):-", (ROOT / "scripts" / "run.sh").read_text()):
        found.setdefault(name, "scripts/run.sh")
    return found


def variables_documented():
    return set(re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \|", DOC.read_text(), re.M))


def test_the_walk_finds_what_settings_reads():
    read = variables_read()
    # One of each kind of reader, so that a walk that found nothing cannot pass.
    for name in ("SECRET_KEY", "DEBUG", "EMAIL_PORT", "HARBOUR_AUDIT_RETIRED_KEYS", "DATABASE_URL",
                 "HARBOUR_BACKUP_KEY", "HARBOUR_LOG_FORMAT", "HARBOUR_PDF_WARM_UP", "PORT", "DJANGO_SETTINGS_MODULE"):
        assert name in read, name
    assert len(read) >= 45


def test_every_variable_read_is_documented():
    missing = {name: where for name, where in variables_read().items() if name not in variables_documented()}
    assert missing == {}, f"read but not in docs/configuration.md: {missing}"


def test_every_variable_documented_is_read():
    stale = variables_documented() - set(variables_read())
    assert stale == set(), f"in docs/configuration.md but read nowhere: {stale}"


def test_each_variable_is_documented_once_with_a_meaning_and_a_default():
    rows = re.findall(r"^\| `([A-Z][A-Z0-9_]*)` \| (.+) \| (.+) \|$", DOC.read_text(), re.M)
    names = [name for name, _, _ in rows]
    assert len(names) == len(set(names)), sorted({n for n in names if names.count(n) > 1})
    assert set(names) == variables_documented()
    assert all(meaning.strip() and default.strip() for _, meaning, default in rows)


def test_the_deploy_environment_template_names_only_documented_variables():
    """deploy/harbour.env.example (the production stack's template) and this page must agree: every variable the
    template sets, or shows commented out, is one this page documents, and it sets every required one."""
    template = ROOT / "deploy" / "harbour.env.example"
    if not template.exists():
        import pytest

        pytest.skip("deploy/harbour.env.example is not in this tree")
    text = template.read_text()
    named = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", text, re.M))
    assert named - variables_documented() == set(), "in the template but not in docs/configuration.md"
    required = {"SECRET_KEY", "HARBOUR_AUDIT_KEY", "HARBOUR_TRANSFER_KEY", "HARBOUR_BACKUP_KEY", "DATABASE_URL",
                "ALLOWED_HOSTS", "HARBOUR_SITE_URL"}
    assert required - named == set()
