"""How long each kind of PDF takes, first and later (issue 20.9). Not part of `make test`.

    .venv/bin/python bench/pdf_times.py [--out DIR] [--repeats 5]

Runs against the demo trust (`manage.py seed_demo`) in the database the environment names (HARBOUR_SQLITE_PATH
or DATABASE_URL). Two fresh processes are measured:

- cold: nothing loaded, as a PDF was before: the first PDF pays for importing WeasyPrint and loading fonts;
- warm: `lib.pdf.warm_up()` ran at start, as harbour/wsgi.py and the worker now do (its time is shown apart,
  and spent before the first request), then the same PDFs.

Each process makes every kind of PDF once ("first"), then `--repeats` more times ("later", the median shown).
With --out, the PDFs of the warm run are written there, to look at (`pdftoppm -png -r 50 file.pdf page`).
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def makers():
    """(name, function returning PDF bytes) for each kind of PDF Harbour prints, from the demo trust's data."""
    from django.template.loader import render_to_string
    from django.utils import timezone

    from accounts.models import User
    from advice.casework import advice_for_case, letter_pdf
    from cases.models import Case
    from lib.pdf import render_pdf
    from records.subject_access import build_export
    from reports import packs, reporting
    from reports.presentation import HELPERS
    from schools.models import School
    from transfers import actions as transfers
    from transfers.models import Transfer

    riverside, oakfield = School.objects.get(slug="riverside"), School.objects.get(slug="oakfield")
    dsl = User.objects.get(email="dsl@riverside.example")
    case = next(c for c in Case.objects.filter(school=riverside).order_by("id") if advice_for_case(c))
    child = advice_for_case(case)[0]
    offer = child.offers[0]
    term = reporting.term_containing(timezone.localdate())

    def report(kind, school):
        report = (packs.governor_report(school, term) if kind == "governor"
                  else packs.termly_pack(dsl, school, term))
        title = "Governor report" if kind == "governor" else "Termly review pack"
        html = render_to_string("reports/print/pack.html", {
            "report": report, "school": school, "title": title, "kind": kind, "today": timezone.localdate(),
            **HELPERS})
        return render_pdf(html)

    def transfer():
        sent = Transfer.objects.order_by("id").first()
        html = render_to_string("transfers/print.html", {
            "file": transfers.build_file(sent.pupil), "transfer": sent, "printed_by": dsl,
            "printed_at": timezone.localtime()})
        return render_pdf(html)

    def subject_access():
        return build_export(dsl, riverside, "pupil", child.pupil.id).pdf(printed_by=dsl)

    return [
        ("parent letter", lambda: letter_pdf(script=offer["parent"], school=riverside, pupil=child.pupil,
                                             signed_by=dsl)),
        ("child leaflet", lambda: letter_pdf(script=offer["child"], school=riverside, pupil=child.pupil,
                                             signed_by=dsl)),
        ("governor report (Riverside)", lambda: report("governor", riverside)),
        ("governor report (Oakfield)", lambda: report("governor", oakfield)),
        ("termly pack", lambda: report("pack", riverside)),
        ("child protection file", transfer),
        ("subject access export", subject_access),
    ]


def measure(warm, repeats, out, only=()):
    """In this process: set Django up, optionally warm up, then time each PDF. Prints one JSON line."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbour.settings")
    django.setup()
    result = {"warm_up": None, "pdfs": {}}
    if warm:
        try:
            from lib.pdf import warm_up
        except ImportError:  # a checkout from before warm_up existed: measured as it was
            warm_up = None
        if warm_up:
            started = time.perf_counter()
            warm_up(in_background=False)
            result["warm_up"] = time.perf_counter() - started
    for name, make in makers():
        if only and name not in only:
            continue
        started = time.perf_counter()
        pdf = make()
        first = time.perf_counter() - started
        later = []
        for _ in range(repeats):
            started = time.perf_counter()
            make()
            later.append(time.perf_counter() - started)
        result["pdfs"][name] = {"first": first, "later": statistics.median(later) if later else None,
                                "bytes": len(pdf)}
        if out:
            (Path(out) / (name.replace(" ", "-").replace("(", "").replace(")", "") + ".pdf")).write_bytes(pdf)
    print(json.dumps(result))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", help="write the warm run's PDFs here")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--only", action="append", default=[], help="only this PDF (repeatable), e.g. 'parent letter'")
    parser.add_argument("--json", help="also write the figures to this file (bench/run.py)")
    parser.add_argument("--child", choices=["cold", "warm"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        sys.path.insert(0, str(ROOT))
        os.environ["HARBOUR_PDF_WARM_UP"] = "1"
        return measure(args.child == "warm", args.repeats, args.out if args.child == "warm" else None, args.only)
    if args.out:
        Path(args.out).mkdir(parents=True, exist_ok=True)
    runs = {}
    for kind in ("cold", "warm"):
        command = [sys.executable, __file__, "--child", kind, "--repeats", str(args.repeats)]
        command += [arg for name in args.only for arg in ("--only", name)]
        if args.out:
            command += ["--out", args.out]
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
        if done.returncode:
            sys.exit(f"The {kind} run failed:\n{done.stderr}")
        runs[kind] = json.loads(done.stdout.strip().splitlines()[-1])
    if runs["warm"]["warm_up"] is not None:
        print(f"Warm-up at start (import and fonts, before the first request): {runs['warm']['warm_up']:.2f} s")
    print(f"{'PDF':32} {'cold first':>10} {'warm first':>10} {'later':>8} {'size':>9}")
    for name, cold in runs["cold"]["pdfs"].items():
        warm = runs["warm"]["pdfs"][name]
        print(f"{name:32} {cold['first']:>9.2f}s {warm['first']:>9.2f}s {warm['later']:>7.2f}s "
              f"{warm['bytes'] / 1024:>7.0f}kB")
    if args.json:
        Path(args.json).write_text(json.dumps(runs, indent=1))


if __name__ == "__main__":
    main()
