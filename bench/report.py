"""bench/run.py's report: each load's figures summarised, the targets of issues 9 and 24 judged, and the table."""

import statistics


def summarise(runs):
    rps = [r["rps"] for r in runs]
    p50 = [r["p50_ms"] for r in runs if r["p50_ms"] is not None]
    p99 = [r["p99_ms"] for r in runs if r["p99_ms"] is not None]
    return {"rps_median": statistics.median(rps), "rps_min": min(rps), "rps_max": max(rps),
            "p50_ms": statistics.median(p50) if p50 else None, "p99_ms": statistics.median(p99) if p99 else None,
            "requests": sum(r["requests"] for r in runs),
            "unexpected_status": sum(r["unexpected_status"] or 0 for r in runs),
            "socket_errors": sum(r["socket_errors"] for r in runs), "runs": runs}


def case_name(pages):
    return next(n for n in pages if n.startswith("case page"))


def _same_queries(report):
    """Queries per page on the quick and the full data set: [differences, constant?] (None: one set only)."""
    q = report["queries"]
    quick, full = ((q.get(k) or {}).get("pages", {}) for k in ("quick", "full"))
    if not quick or not full:
        return [None, False]
    base = {k.split(" (")[0]: v["queries"] for k, v in quick.items()}
    differ = [k for k, v in full.items() if base.get(k.split(" (")[0]) != v["queries"]]
    return [len(differ), not differ]


def judge(report):
    """Every target of issue 9, each as [figure, met?]."""
    pages = report["pages"]
    django8 = pages["Django hello"]["8"]["rps_median"]
    post = pages["concern submission (POST)"]
    search = pages["chronology search"]

    def under(value, limit):
        return [value, value is not None and value < limit]

    targets = {}
    for label, name in (("case page", case_name(pages)), ("DSL dashboard", "DSL dashboard"),
                        ("DSL inbox", "DSL inbox")):
        page = pages[name]
        ratio = page["8"]["rps_median"] / django8
        targets[f"{label} throughput ≥ 10% of Django hello (c=8)"] = [round(ratio * 100, 1), ratio >= 0.10]
        targets[f"{label} p50 < 10 ms (c=1)"] = under(page["1"]["p50_ms"], 10)
        targets[f"{label} p99 < 100 ms (c=8)"] = under(page["8"]["p99_ms"], 100)
    targets["search p99 < 100 ms for one user (c=1)"] = under(search["1"]["p99_ms"], 100)
    targets["concern submission p99 < 150 ms (c=8)"] = under(post["8"]["p99_ms"], 150)
    targets["DSL notified in-app < 2 s"] = [round(report["notification"]["max_s"], 3),
                                           report["notification"]["max_s"] < 2]
    targets["queries per page the same on the quick and full sets (pages differing)"] = _same_queries(report)
    return targets


def table(report):
    pages = report["pages"]
    base = {c: pages["Django hello"][c]["rps_median"] for c in ("1", "8", "32")}
    d = report["data_set"]
    lines = [
        f"Harbour bench on {report['database']['version']}, {report['preset']} data set: {d['schools']} schools, "
        f"{d['cases']:,} cases, "
        f"{d['entries']:,} chronology entries, {d['audit_events']:,} audit events at seeding; "
        f"{report['load_generator']}, {report['repeats']} × {report['seconds_per_load']} s per figure, "
        "gunicorn 2 sync workers, DEBUG off; load average before "
        f"{report['machine']['load_average_1_5_15_min_before'][0]:.1f}, "
        f"after {report['machine']['load_average_after'][0]:.1f} "
        f"on {report['machine']['cpus']} CPUs (wrk and the server share them)",
        "",
        f"{'page':34} {'c=1 p50':>8} | {'c=8 rps (min–max)':>20} {'×dj':>5} {'p50':>7} {'p99':>7} | "
        f"{'c=32 rps (min–max)':>20} {'×dj':>5} {'p50':>7} {'p99':>7} | {'bad':>4}",
    ]
    for name, by_c in pages.items():
        c1, c8, c32 = by_c["1"], by_c["8"], by_c["32"]
        bad = sum(by_c[c]["unexpected_status"] + by_c[c]["socket_errors"] for c in by_c)

        def rps(s):
            return f"{s['rps_median']:.1f} ({s['rps_min']:.1f}–{s['rps_max']:.1f})"

        def ms(value, width=7):
            return f"{value:.1f}ms".rjust(width) if value is not None else "n/a".rjust(width)

        lines.append(
            f"{name:34} {ms(c1['p50_ms'], 8)} | {rps(c8):>20} {c8['rps_median'] / base['8']:5.3f} "
            f"{ms(c8['p50_ms'])} {ms(c8['p99_ms'])} | {rps(c32):>20} {c32['rps_median'] / base['32']:5.3f} "
            f"{ms(c32['p50_ms'])} {ms(c32['p99_ms'])} | {bad:>4}")
    lines.append("")
    lines.append(f"concern POSTs answered 302 by wrk {report['concern_posts_sent']:,}; concerns stored during the load "
                 f"{report['concerns_stored']:,} (more: wrk does not count requests cut off at the end of a run)")
    n = report["notification"]
    lines.append(f"concern submitted → DSL's unread count up: median {n['median_s'] * 1000:.0f} ms, "
                 f"max {n['max_s'] * 1000:.0f} ms over {n['tries']} tries")
    v = report["verify_audit"]
    lines.append(f"verify_audit: {'ok' if v['ok'] else 'FAILED'}, {v['events']:,} events, "
                 f"{v['events_per_second']:,} events/s (command wall time {v['wall_seconds']} s)"
                 if v["events"] else f"verify_audit: {v['output']}")
    lines.append("")
    lines.append("queries per page (test client):")
    q = report["queries"]
    names = list((q.get("quick") or q.get("full") or {}).get("pages", {}))
    lines.append(f"  {'page':34} {'quick':>6} {'full':>6}")
    for name in names:
        key = name
        quick = (q.get("quick") or {}).get("pages", {})
        full = (q.get("full") or {}).get("pages", {})
        qn = quick.get(key, {}).get("queries", "–")
        # The case page's name carries its entry count, which differs between data sets.
        fk = key if key in full else next((k for k in full if k.split(" (")[0] == key.split(" (")[0]), None)
        fn = full.get(fk, {}).get("queries", "–") if fk else "–"
        lines.append(f"  {name:34} {qn!s:>6} {fn!s:>6}")
    pdfs = report.get("pdfs")
    if pdfs and "error" not in pdfs:
        lines.append("")
        lines.append("PDFs (bench/pdf_times.py, fresh processes; warm: lib.pdf.warm_up() at start, as a server):")
        if pdfs["warm"].get("warm_up") is not None:
            lines.append(f"  warm-up at start {pdfs['warm']['warm_up']:.2f} s")
        for name, cold in pdfs["cold"]["pdfs"].items():
            warm = pdfs["warm"]["pdfs"][name]
            lines.append(f"  {name:32} first (cold) {cold['first']:.2f} s, first (warm) {warm['first']:.2f} s, "
                         f"later {warm['later']:.2f} s")
    elif pdfs:
        lines.append(f"PDFs: failed: {pdfs['error'][-300:]}")
    lines.append("")
    lines.append("targets:")
    for target, (value, ok) in report["targets"].items():
        lines.append(f"  {'MET ' if ok else 'MISS'} {target}: {value}")
    return "\n".join(lines)
