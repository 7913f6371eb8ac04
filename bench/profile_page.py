import cProfile, pstats, time, io, sys
from bench import fixtures
from django.test import Client
f = fixtures.pick()
c = Client(); c.cookies["harbour_session"] = f["dsl_session"]
url = (sys.argv[1] if len(sys.argv) > 1 else "") or f"/cases/{f['case']}/"
for _ in range(5): c.get(url)
t = time.perf_counter()
for _ in range(20): c.get(url)
print("ms per request", (time.perf_counter() - t) / 20 * 1000)
pr = cProfile.Profile(); pr.enable()
for _ in range(20): c.get(url)
pr.disable()
s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats(sys.argv[2] if len(sys.argv) > 2 else "cumulative").print_stats(45); print(s.getvalue()[:9000])
print("--- Harbour's own functions, by cumulative time ---")
s = io.StringIO(); pstats.Stats(pr, stream=s).sort_stats("cumulative").print_stats(r"^/work/bench/(?!\.venv)(?!bench/).*\.py", 30)
print(s.getvalue()[-6000:])
