"""The apps' layers (docs/architecture.md): every import between Harbour's apps points one way, down.

An app may import only apps of a lower layer, at module level or inside a function; two apps of one layer never
import each other. A lower app that needs something of a higher one says what it needs and the higher app
provides it in its AppConfig.ready() (`lib.hooks`). Migrations follow the same arrows. Tests may import anything:
they are not part of any layer. Foreign keys and migration dependencies name other apps' models by label
("cases.Case"): those are data, not imports, and are not checked here.

The walk reads the source with `ast`, so an import inside a function, a class or a branch counts as much as one at
the top of a module; `importlib.import_module("…")` with a written name counts too.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Lowest first. Apps in one tuple are side by side and never import each other.
LAYERS = (
    ("lib",),  # plain helpers that know nothing of safeguarding
    ("audit", "notifications"),  # the trail and the notices, which every app writes to
    ("accounts",),  # people, roles, the capability table, the shape of every access policy
    ("schools",),  # trusts, schools, pupils, carers, staff; the school someone is working in
    ("procedures",),  # the definition files and the pure engine
    ("concerns",),  # reporting, routing, the inbox and triage
    ("cases",),  # the DSL's case
    ("evidence", "advice"),  # what is recorded on a case, and the advice for its children
    # retention and subject access; dashboards and packs; the registers; messages to many in an incident
    ("records", "reports", "registers", "communications"),
    ("transfers", "api", "imports"),  # the ways in and out: file transfer, the API, MIS imports
    ("demo", "backups"),  # operations: the demo trust, backups and restores
    ("harbour",),  # settings, URLs, the Jinja environment, the base layout, the home page
)
LAYER_OF = {app: number for number, apps in enumerate(LAYERS) for app in apps}


def installed_apps():
    return sorted(path.parent.name for path in ROOT.glob("*/apps.py"))


def _imported(node):
    """The module names an import statement (or an import_module("…") call) names."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    if isinstance(node, ast.ImportFrom):
        return [node.module] if node.level == 0 and node.module else []
    if (isinstance(node, ast.Call) and getattr(node.func, "attr", getattr(node.func, "id", None)) == "import_module"
            and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
        return [node.args[0].value]
    return []


def imports_between_apps():
    """[(file, line, importing app, imported module, imported app)] for every import of another app's module."""
    found = []
    for app in installed_apps():
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT)
            if "tests" in relative.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(), filename=str(relative))):
                for module in _imported(node):
                    target = module.split(".")[0]
                    if target != app and target in LAYER_OF:
                        found.append((str(relative), node.lineno, app, module, target))
    return found


def test_every_app_has_its_place_in_the_layers():
    apps = set(installed_apps())
    assert apps - set(LAYER_OF) == set(), "an app without a layer: add it to LAYERS and to docs/architecture.md"
    assert set(LAYER_OF) - apps == set(), "LAYERS names an app that does not exist"


def test_no_app_imports_a_higher_layer_or_its_own():
    wrong = [f"{file}:{line}: {app} (layer {LAYER_OF[app]}) imports {module} ({target}, layer {LAYER_OF[target]})"
             for file, line, app, module, target in imports_between_apps() if LAYER_OF[target] >= LAYER_OF[app]]
    assert wrong == [], "imports against the arrows:\n" + "\n".join(wrong)


def test_no_two_apps_import_each_other():
    where = {}
    for file, line, app, _module, target in imports_between_apps():
        where.setdefault((app, target), f"{file}:{line}")
    pairs = [f"{a} and {b}: {where[a, b]} and {where[b, a]}" for a, b in sorted(where) if a < b and (b, a) in where]
    assert pairs == [], "apps that import each other:\n" + "\n".join(pairs)


def test_the_walk_finds_imports_inside_functions(tmp_path):
    """The walk itself: an import hidden in a function body is found, with its line."""
    tree = ast.parse("def f():\n    if True:\n        from cases.access import CASES\n")
    [node] = [n for n in ast.walk(tree) if _imported(n)]
    assert _imported(node) == ["cases.access"] and node.lineno == 3
