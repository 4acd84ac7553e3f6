"""Fires LOGINS logins (distinct users) at CONCURRENCY at once and reports latency, 5xx
and the server's resident memory, beside GET /login at the same concurrency."""
import argparse
import concurrent.futures as cf
import http.client
import re
import threading
import time

p = argparse.ArgumentParser()
p.add_argument("--pid", type=int, required=True)
p.add_argument("--port", type=int, required=True)
p.add_argument("--host", required=True)
p.add_argument("--logins", type=int, default=200)
p.add_argument("--concurrency", type=int, default=100)
p.add_argument("--password", required=True)
a = p.parse_args()


def rss_kib():
    with open(f"/proc/{a.pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def request(method, path, cookie=None, body=None):
    c = http.client.HTTPConnection("127.0.0.1", a.port, timeout=120)
    headers = {"Host": a.host}
    if cookie:
        headers["Cookie"] = cookie
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    t = time.perf_counter()
    c.request(method, path, body=body, headers=headers)
    r = c.getresponse()
    data = r.read().decode("utf-8", "replace")
    elapsed = time.perf_counter() - t
    cookies = [v.split(";")[0] for k, v in r.getheaders() if k.lower() == "set-cookie"]
    c.close()
    return r.status, data, elapsed, "; ".join(cookies) or cookie


def login_page(_):
    status, body, elapsed, cookie = request("GET", "/login")
    token = re.search(r'name="csrf_token" value="([0-9a-f]+)"', body).group(1)
    return status, elapsed, cookie, token


def login(args):
    i, cookie, token = args
    body = f"email=user{i}%40bench.example&password={a.password}&csrf_token={token}&next=%2F"
    status, _, elapsed, _ = request("POST", "/login", cookie, body)
    return status, elapsed


def pct(xs, q):
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] * 1000


samples = []
stop = threading.Event()


def sample():
    while not stop.is_set():
        samples.append(rss_kib())
        time.sleep(0.02)


before = rss_kib()
with cf.ThreadPoolExecutor(a.concurrency) as pool:
    # Baseline: the login page (a session and a token, no password hashing).
    pages = list(pool.map(login_page, range(a.logins)))
    t = threading.Thread(target=sample)
    t.start()
    results = list(pool.map(login, [(i + 1, c, tok) for i, (_, _, c, tok) in enumerate(pages)]))
    stop.set()
    t.join()
after = rss_kib()

base = [e for _, e, _, _ in pages]
lat = [e for _, e in results]
codes = {}
for s, _ in results:
    codes[s] = codes.get(s, 0) + 1
print(f"{a.logins} logins of distinct users, {a.concurrency} at a time")
print(f"  responses            {dict(sorted(codes.items()))}  (303 = signed in)")
print(f"  5xx                  {sum(n for s, n in codes.items() if s >= 500)}")
print(f"  RSS before/peak/after {before / 1024:.0f} / {max(samples + [after]) / 1024:.0f} / {after / 1024:.0f} MiB")
print(f"  login   p50 {pct(lat, .5):8.1f} ms  p99 {pct(lat, .99):8.1f} ms")
print(f"  baseline GET /login p50 {pct(base, .5):8.1f} ms  p99 {pct(base, .99):8.1f} ms")
print(f"  ratio login p99 / baseline p99  {pct(lat, .99) / max(pct(base, .99), 0.001):.1f}")
