"""Load generation for bench/run.py: wrk with a Lua script that counts unexpected statuses, or, without wrk, a small
threaded Python client with one persistent connection per thread. Each gives requests per second, p50 and p99."""

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid

WRK = shutil.which("wrk")

LUA = """
local threads = {}
local counter = 0
function setup(thread)
  counter = counter + 1
  thread:set("id", counter)
  table.insert(threads, thread)
end
function init(args)
  bad = 0
  math.randomseed(id * 100003 + os.time())
end
function response(status, headers, body)
  if status ~= EXPECTED then bad = bad + 1 end
end
REQUEST
function done(summary, latency, requests)
  local total = 0
  for _, t in ipairs(threads) do total = total + t:get("bad") end
  io.write(string.format("UNEXPECTED_STATUS %d\\n", total))
end
"""
LUA_POST = """
local function r() return math.random(0, 65535) end
function request()
  local key = string.format("%04x%04x-%04x-4%03x-a%03x-%04x%04x%04x", r(), r(), r(), r() % 4096,
                            r() % 4096, r(), r(), r())
  return wrk.format("POST", "PATH", nil, "BODY" .. key)
end
"""


def lua_script(expected, post_path=None, body=None):
    request = LUA_POST.replace("PATH", post_path).replace("BODY", body) if post_path else ""
    handle = tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, prefix="harbour-bench-")
    handle.write(LUA.replace("EXPECTED", str(expected)).replace("REQUEST", request))
    handle.close()
    return handle.name


UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text):
    m = re.match(r"([\d.]+)(us|ms|s|m)$", text)
    return float(m.group(1)) * UNITS[m.group(2)]


def run_wrk(url, concurrency, seconds, headers, script):
    cmd = [
        WRK,
        f"-t{min(concurrency, 2)}",
        f"-c{concurrency}",
        f"-d{max(1, round(seconds))}s",
        "--latency",
        "--timeout",
        "10s",
        "-s",
        script,
    ]
    for h in headers:
        cmd += ["-H", h]
    done = subprocess.run(cmd + [url], capture_output=True, text=True, timeout=seconds + 60)
    out = done.stdout
    if "Requests/sec" not in out:
        raise RuntimeError(f"wrk failed on {url}: {done.stdout} {done.stderr}")
    figures = {"rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),
               "requests": int(re.search(r"(\d+) requests in", out).group(1))}
    for pct in ("50", "99"):
        m = re.search(rf"^\s+{pct}(?:\.000)?%\s+(\S+)", out, re.M)
        figures[f"p{pct}_ms"] = _ms(m.group(1)) if m else None
    if figures["requests"] == 0:  # nothing finished within the time: no latency to report
        figures["p50_ms"] = figures["p99_ms"] = None
    bad = re.search(r"UNEXPECTED_STATUS (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    figures["unexpected_status"] = int(bad.group(1)) if bad else None
    figures["socket_errors"] = sum(int(g) for g in errors.groups()) if errors else 0
    return figures


def run_python_client(url, concurrency, seconds, headers, expected, post_body=None):
    """Fallback without wrk: threads with one persistent http.client connection each."""
    import http.client
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    hdrs = dict(h.split(": ", 1) for h in headers)
    latencies, bad, lock = [], [0], threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)
        mine, wrong = [], 0
        while time.monotonic() < stop_at:
            body = None if post_body is None else post_body + str(uuid.uuid4())
            started = time.perf_counter()
            try:
                conn.request("POST" if body else "GET", parts.path, body=body, headers=hdrs)
                response = conn.getresponse()
                response.read()
                if response.status != expected:
                    wrong += 1
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
            except (OSError, http.client.HTTPException):
                wrong += 1
                conn.close()
            mine.append((time.perf_counter() - started) * 1000)
        with lock:
            latencies.extend(mine)
            bad[0] += wrong

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    latencies.sort()
    def pick(q):
        return latencies[min(len(latencies) - 1, int(q * len(latencies)))] if latencies else None
    return {"rps": len(latencies) / elapsed, "requests": len(latencies), "p50_ms": pick(0.50), "p99_ms": pick(0.99),
            "unexpected_status": bad[0], "socket_errors": 0}


def load(url, concurrency, seconds, headers, expected, post_path=None, post_body=None):
    if WRK:
        script = lua_script(expected, post_path, post_body)
        try:
            return run_wrk(url, concurrency, seconds, headers, script)
        finally:
            os.unlink(script)
    return run_python_client(url, concurrency, seconds, headers, expected, post_body)
