"""Lighthouse over the main pages, signed in as a DSL (issue 26): part of `make bench`, never of `make test`.

    .venv/bin/python -m bench.lighthouse [--quick] [--runs N]     # alone, on a built data set

npm `lighthouse` (pinned in bench/lighthouse/package-lock.json, installed with `npm ci` when missing, as the tests
install their OpenID provider) drives Debian's Chromium with Lighthouse's mobile defaults (a 412 px phone, simulated
slow 4G and a 4x slower CPU). The server runs with production settings: DEBUG off, gunicorn with 2 workers, and the
static files as production serves them (`collectstatic` with whitenoise's CompressedManifestStaticFilesStorage into a
scratch folder: hashed names, cached for a year, gzip and brotli). It signs in by sending the DSL's session cookie
with every request (`--extra-headers`), a session made as after a real sign-in with the second factor
(bench/fixtures.py).

For each page: the performance, accessibility and best-practices scores, the cumulative layout shift (CLS), and
the timings behind the performance score. CLS is the figure to read first: it does not depend on how busy the
machine is. The performance score does: it is computed from timings of a page load on 2 CPUs shared with other
work, and moves by several points between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.run import DATA, PYTHON, RESULTS, build, environment  # noqa: E402 - after the path is set
from tests.durability.crash import Server, free_port  # noqa: E402 - after the path is set

LIGHTHOUSE_DIR = ROOT / "bench" / "lighthouse"
LIGHTHOUSE = LIGHTHOUSE_DIR / "node_modules" / ".bin" / "lighthouse"
CHROMIUM = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices")
# The timings behind the performance score, and what the page sends.
AUDITS = {
    "cumulative-layout-shift": "cls",
    "first-contentful-paint": "fcp_ms",
    "largest-contentful-paint": "lcp_ms",
    "total-blocking-time": "tbt_ms",
    "speed-index": "speed_index_ms",
    "total-byte-weight": "bytes_sent",
}


def pages(f):
    """name -> path: the pages issue 26 names (f: bench/fixtures.py's answer)."""
    return {
        "home": "/",
        "report": "/concerns/report/",
        "inbox": "/concerns/inbox/",
        f"case page ({f['case_entries']} entries)": f"/cases/{f['case']}/",
        "dashboard": "/reports/",
    }


def ensure_lighthouse():
    """Install Lighthouse from the lock file if it is missing (npm ci; offline after the first time)."""
    if LIGHTHOUSE.exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError("npm is needed once to install Lighthouse: apt-get install npm")
    subprocess.run([npm, "ci", "--ignore-scripts", "--no-audit", "--no-fund", "--loglevel=error"],  # nosec B603 - fixed arguments
                   cwd=LIGHTHOUSE_DIR, check=True, capture_output=True, timeout=600)


def production_static(env):
    """The bench's environment, with static files collected and served as in production (see the module's doc)."""
    static_root = tempfile.mkdtemp(prefix="harbour-bench-static-")
    env = dict(env, HARBOUR_STATIC_ROOT=static_root, HARBOUR_STATIC_FROM_FINDERS="0",
               HARBOUR_STATICFILES_STORAGE="whitenoise.storage.CompressedManifestStaticFilesStorage")
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True,  # nosec B603 - fixed arguments
                   capture_output=True, text=True)
    return env, static_root


def lighthouse(url, session, out):
    """One Lighthouse run of one page; the parsed JSON report."""
    command = [
        str(LIGHTHOUSE), url, "--quiet", "--output=json", f"--output-path={out}",
        f"--only-categories={','.join(CATEGORIES)}",
        "--chrome-flags=--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage",
        "--extra-headers=" + json.dumps({"Cookie": f"harbour_session={session}"}),
        "--max-wait-for-load=90000",
    ]
    env = dict(os.environ, CHROME_PATH=CHROMIUM)
    subprocess.run(command, env=env, check=True, capture_output=True, text=True, timeout=300)  # nosec B603 - fixed arguments
    return json.loads(Path(out).read_text())


def figures(report):
    """The scores (0–100) and the figures behind them from one Lighthouse report."""
    out = {c: round(report["categories"][c]["score"] * 100) if report["categories"][c]["score"] is not None else None
           for c in CATEGORIES}
    audits = report["audits"]
    for audit, key in AUDITS.items():
        value = audits.get(audit, {}).get("numericValue")
        out[key] = round(value, 4) if key == "cls" and value is not None else (round(value) if value is not None
                                                                                else None)
    out["final_url"] = report.get("finalDisplayedUrl") or report.get("finalUrl")
    out["render_blocking"] = [item["url"].split("/static/", 1)[-1] for item in
                              audits.get("render-blocking-resources", {}).get("details", {}).get("items", [])]
    out["unused_css_bytes"] = sum(item.get("wastedBytes", 0) for item in
                                  audits.get("unused-css-rules", {}).get("details", {}).get("items", []))
    shifts = audits.get("layout-shifts", {}).get("details", {}).get("items", [])
    out["layout_shifts"] = [{"score": round(item.get("score", 0), 4),
                             "node": (item.get("node") or {}).get("selector")} for item in shifts]
    out["failed_audits"] = sorted(
        audit_id for c in ("accessibility", "best-practices")
        for audit_id in (ref["id"] for ref in report["categories"][c]["auditRefs"] if ref.get("weight"))
        if audits[audit_id].get("score") is not None and audits[audit_id]["score"] < 1)
    return out


def measure(db, f, runs=1):
    """Lighthouse on each page, `runs` times each (the median run by performance score is kept, every run listed)."""
    ensure_lighthouse()
    env, static_root = production_static(environment(db))
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(DATA / "lighthouse-server.log", "ab")  # noqa: SIM115 - closed in finally
    server = Server(env, port, log, app="harbour.wsgi", start_within=60)
    results, load_before = {}, os.getloadavg()
    scratch = tempfile.mkdtemp(prefix="harbour-lighthouse-")
    try:
        server.start()
        for name, path in pages(f).items():
            all_runs = []
            for n in range(runs):
                report = lighthouse(base + path, f["dsl_session"], f"{scratch}/{n}.json")
                got = figures(report)
                if not got["final_url"] or not got["final_url"].endswith(path):
                    raise RuntimeError(f"Lighthouse on {path} ended at {got['final_url']}: is the session valid?")
                all_runs.append(got)
            ranked = sorted(all_runs, key=lambda r: r["performance"] or 0)
            median = ranked[len(ranked) // 2]
            results[name] = dict(median, path=path,
                                 runs=[{k: r[k] for k in (*CATEGORIES, "cls")} for r in all_runs])
            print(f"  lighthouse {name}: performance {median['performance']}, accessibility "
                  f"{median['accessibility']}, best practices {median['best-practices']}, CLS {median['cls']}",
                  flush=True)
    finally:
        server.stop()
        log.close()
        shutil.rmtree(static_root, ignore_errors=True)
        shutil.rmtree(scratch, ignore_errors=True)
    version = json.loads((LIGHTHOUSE_DIR / "node_modules" / "lighthouse" / "package.json").read_text())["version"]
    chromium = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True).stdout.strip()  # nosec B603 - fixed arguments
    return {"lighthouse": version, "browser": chromium, "form_factor": "mobile (Lighthouse defaults)",
            "runs_per_page": runs, "load_average_before": load_before, "load_average_after": os.getloadavg(),
            "pages": results, "targets": judge(results)}


def judge(results):
    """Issue 26's targets, each as [figure, met?] per page."""
    targets = {}
    for name, r in results.items():
        targets[f"{name}: CLS < 0.05"] = [r["cls"], r["cls"] is not None and r["cls"] < 0.05]
        targets[f"{name}: performance ≥ 95"] = [r["performance"], (r["performance"] or 0) >= 95]
        targets[f"{name}: accessibility 100"] = [r["accessibility"], r["accessibility"] == 100]
    return targets


def table(lh):
    lines = [f"Lighthouse {lh['lighthouse']} ({lh['browser']}), {lh['form_factor']}, signed in as a DSL, "
             f"{lh['runs_per_page']} run(s) a page; load average {lh['load_average_before'][0]:.1f} before, "
             f"{lh['load_average_after'][0]:.1f} after (the performance score moves with it; CLS does not)",
             f"{'page':26} {'CLS':>6} {'perf':>5} {'a11y':>5} {'best':>5} {'FCP':>7} {'LCP':>7} {'TBT':>6} "
             f"{'sent':>8}  render-blocking"]
    for name, r in lh["pages"].items():
        lines.append(f"{name:26} {r['cls']:>6} {r['performance']:>5} {r['accessibility']:>5} {r['best-practices']:>5} "
                     f"{r['fcp_ms']:>5}ms {r['lcp_ms']:>5}ms {r['tbt_ms']:>4}ms {r['bytes_sent']:>7,}B  "
                     f"{', '.join(r['render_blocking']) or '–'}")
        if r["failed_audits"]:
            lines.append(f"{'':26} failed: {', '.join(r['failed_audits'])}")
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="the quick data set (built in 10 s if missing)")
    parser.add_argument("--runs", type=int, default=1, help="Lighthouse runs per page (the median is kept)")
    args = parser.parse_args()
    preset = "quick" if args.quick else "full"
    started = time.monotonic()
    db, _ = build(preset)
    f = json.loads(subprocess.run([PYTHON, "-m", "bench.fixtures"], cwd=ROOT, env=environment(db), check=True,  # nosec B603 - fixed arguments
                                  text=True, capture_output=True).stdout.strip().splitlines()[-1])
    lh = measure(db, f, args.runs)
    lh.update(preset=preset, when=datetime.now(timezone.utc).isoformat(timespec="seconds"),
              commit=subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,  # nosec B603 B607 - fixed arguments
                                    text=True).stdout.strip(),
              total_seconds=round(time.monotonic() - started, 1))
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{datetime.now(timezone.utc).strftime('%Y%m%dT%H%M%SZ')}-{preset}-lighthouse.json"
    path.write_text(json.dumps(lh, indent=2))
    print(table(lh))
    print(f"\nWritten to {path.relative_to(ROOT)}")
    medians = [r["cls"] for r in lh["pages"].values()]
    print(f"CLS: median {statistics.median(medians)}, worst {max(medians)}")


if __name__ == "__main__":
    main()
