"""Static checks (issue 8.8): `make test` runs ruff and bandit once, before the suites, and fails on any
finding. A finding may be waived only inline, and every waiver must say why; this test holds that line."""

import re
from pathlib import Path

from tests.figures import report

ROOT = Path(__file__).resolve().parents[2]
WAIVER = re.compile(r"#\s*(nosec|noqa)\b(?P<rest>.*)$")
REASON = re.compile(r"^[:\s]*[A-Z]+[0-9]+(?:[ ,]+[A-Z]+[0-9]+)*\s*(?:-\s*\S|\(\S)")


def test_every_waiver_names_the_rule_and_says_why():
    waivers, silent = 0, []
    for path in ROOT.rglob("*.py"):
        if ".venv" in path.parts or "node_modules" in path.parts:
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            match = WAIVER.search(line)
            if match and "WAIVER" not in line:
                waivers += 1
                if not REASON.match(match.group("rest")):
                    silent.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    report("static checks", f"{waivers} inline waivers (ruff noqa, bandit nosec), "
                            f"{len(silent)} without a rule and a reason")
    assert waivers > 0  # the scan found the waivers it is meant to check
    assert silent == []
