"""The Nu HTML Checker (vnu) over every page the browser tests visit, run once at the end of a session.

vnu is the npm package `vnu-jar` (the checker's own release, from its authors), pinned with its integrity hash
in tests/vnu/package-lock.json and installed by `npm ci --ignore-scripts` into tests/vnu/node_modules: by
scripts/test.sh before a run, or here the first time a developer runs a browser test without it. It is not
committed (the jar is 33 MB) and, once installed, needs no network: it runs on the machine's Java 17. Its
install script is skipped: it only downloads a Java runtime, which the machine already has.
"""

import json
import shutil
import subprocess
from pathlib import Path

VNU_DIR = Path(__file__).parent / "vnu"
VNU_JAR = VNU_DIR / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"


def ensure_vnu():
    """Install vnu.jar from the lock file if it is missing. Returns its path."""
    if not VNU_JAR.exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("npm is needed once to install the HTML checker: apt-get install npm")
        subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"], cwd=VNU_DIR,
                       check=True, capture_output=True, timeout=300)
    return VNU_JAR


def check(directory: Path):
    """Run vnu once over every .html file in `directory`; return its errors as (file, line, message)."""
    java = shutil.which("java")
    if java is None:
        raise RuntimeError("Java is needed for the HTML checker: apt-get install default-jre-headless")
    files = sorted(str(p) for p in directory.glob("*.html"))
    if not files:
        return []
    result = subprocess.run([java, "-Xss8m", "-jar", str(ensure_vnu()), "--format", "json", "--errors-only",
                             "--exit-zero-always", *files], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr or "{}").get("messages", [])
    return [(Path(m.get("url", "")).name, m.get("lastLine", 0), m.get("message", "")) for m in messages
            if m.get("type") in ("error", "non-document-error")]
