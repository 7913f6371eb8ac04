"""Issue 21.1: Harbour is under the GNU AGPL, version 3 or later; the licence file is the FSF's text, whole; the
package metadata names it; vendored assets keep their own licences."""

import hashlib
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The FSF's https://www.gnu.org/licenses/agpl-3.0.txt, byte for byte (34,523 bytes).
AGPL_3_SHA256 = "8486a10c4393cee1c25392769ddd3b2d6c242d6ec7928e1414efff7dfb2f07ef"


def test_the_licence_file_is_the_agpl_version_3_text_whole():
    text = (ROOT / "LICENSE").read_text()
    head = text.lstrip().splitlines()[:2]
    assert [line.strip() for line in head] == ["GNU AFFERO GENERAL PUBLIC LICENSE", "Version 3, 19 November 2007"]
    assert "13. Remote Network Interaction; Use with the GNU General Public License." in text
    assert "END OF TERMS AND CONDITIONS" in text and "How to Apply These Terms to Your New Programs" in text
    assert text.rstrip().endswith("<https://www.gnu.org/licenses/>.")
    assert hashlib.sha256(text.encode()).hexdigest() == AGPL_3_SHA256


def test_pyproject_names_the_licence_by_its_spdx_identifier():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert project["license"] == "AGPL-3.0-or-later"
    assert project["license-files"] == ["LICENSE"]


def test_the_readme_says_which_licence():
    readme = (ROOT / "README.md").read_text()
    assert "GNU Affero General Public License, version 3 or later" in readme and "not been chosen" not in readme


def test_each_vendored_asset_keeps_its_own_licence_file_and_is_listed():
    third_party = (ROOT / "THIRD-PARTY.md").read_text()
    for licence in ("harbour/static/vendor/govuk-frontend/LICENSE.txt",
                    "harbour/static/vendor/moj-frontend/LICENSE.txt", "tests/browser/vendor/axe-core-LICENSE.txt"):
        assert (ROOT / licence).read_text().strip(), licence
        assert licence in third_party
    vendored = [p for p in (ROOT / "harbour" / "static" / "vendor").iterdir() if p.is_dir()]
    assert vendored and all((p / "LICENSE.txt").exists() for p in vendored)
