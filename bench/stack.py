"""The production stack's benchmark (issue 16), a section of bench/results/latest.md:

- a cached public page through nginx (front cache hit, HTTPS, HTTP/1.1 keep-alive) against nginx serving the
  same bytes as a file from the same server block (the floor is 0.5×), with p50 and p99;
- the uncached path: the same page through nginx to gunicorn with the caches bypassed (a session cookie that
  names no session: nginx passes it through and the app renders the page for an anonymous visitor);
- requests per second on that uncached path with one app server against two (nginx reloaded with one upstream);
- optionally (--worker-classes) gunicorn's sync against gthread workers on the uncached path.

    python -m bench.stack [--duration 5] [--dir var/bench/stack]   (make bench-stack)

It starts its own stack (deploy/stack.py) on free ports under --dir with the demo data, measures, stops it.
"""
import argparse
import datetime
import json
import re
import subprocess
import time
from pathlib import Path

from deploy.stack import PROJECT, Stack, free_port

RESULTS = PROJECT / "bench" / "results"
BEGIN, END = "<!-- stack:begin -->", "<!-- stack:end -->"
PAGES = [("country page", "/en/countries/kgz/"), ("home map", "/en/")]
BYPASS = "Cookie: sessionid=bench-no-such-session"


def wrk(url, duration, *, connections=8, header=None):
    command = ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", "--timeout", "30s"]
    if header:
        command += ["-H", header]
    out = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout

    def ms(label):
        found = re.search(rf"^\s+{label}\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
        if not found:
            return None
        value, unit = float(found.group(1)), found.group(2)
        return round(value / 1000 if unit == "us" else value * 1000 if unit == "s" else value, 3)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {"rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)), 1),
            "p50_ms": ms("50%"), "p99_ms": ms("99%"), "non_2xx": int(errors.group(1)) if errors else 0}


def fetch(url, header=None):
    command = ["curl", "-sk", "-o", "/dev/null", "-D", "-", url]
    if header:
        command[1:1] = ["-H", header]
    return subprocess.run(command, capture_output=True, text=True, check=True).stdout


def body(url):
    return subprocess.run(["curl", "-sk", url], capture_output=True, check=True).stdout


def ratio(a, b):
    return float(f"{a / b:.3g}") if a and b else None


def measure(stack, duration, worker_classes):
    base = f"https://127.0.0.1:{stack.ports['https']}"
    static = Path(stack.dir) / "static" / "bench"
    static.mkdir(parents=True, exist_ok=True)
    results = {"pages": [], "scale_out": None, "worker_classes": []}
    for label, path in PAGES:
        page = body(base + path)
        name = path.strip("/").replace("/", "-") or "home"
        (static / f"{name}.html").write_bytes(page)
        for _ in range(3):
            fetch(base + path)
        assert "x-cache: hit" in fetch(base + path).lower(), f"{path} is not served from the front cache"
        cached = wrk(base + path, duration)
        file = wrk(f"{base}/static/bench/{name}.html", duration)
        uncached = wrk(base + path, duration, header=BYPASS)
        results["pages"].append({"label": label, "path": path, "bytes": len(page), "cached": cached,
                                 "file": file, "uncached": uncached,
                                 "rps_ratio": ratio(cached["rps"], file["rps"]),
                                 "p50_ratio": ratio(cached["p50_ms"], file["p50_ms"]),
                                 "p99_ratio": ratio(cached["p99_ms"], file["p99_ms"])})
    # One app server against two, on the uncached path of the country page.
    path = PAGES[0][1]
    stack.write_nginx_conf(app_ports=stack.app_ports[:1])
    stack.nginx("-s", "reload")
    time.sleep(1)
    one = wrk(base + path, duration, connections=16, header=BYPASS)
    stack.write_nginx_conf()
    stack.nginx("-s", "reload")
    time.sleep(1)
    two = wrk(base + path, duration, connections=16, header=BYPASS)
    results["scale_out"] = {"one": one, "two": two, "factor": ratio(two["rps"], one["rps"])}
    for worker_class in worker_classes:
        for port in stack.app_ports:
            stack.kill_app(port, sig=15)
        stack.worker_class = worker_class
        for port in stack.app_ports:
            stack.start_app(port)
            stack.wait_app(port)
        time.sleep(2)
        fetch(base + path, BYPASS)
        results["worker_classes"].append({"class": worker_class, "threads": stack.threads,
                                          "uncached": wrk(base + path, duration, connections=16,
                                                          header=BYPASS)})
    return results


def markdown(results, meta):
    lines = [BEGIN, "## Production stack (make stack): nginx front cache, gunicorn, PostgreSQL primary + replica",
             "",
             f"Run of {meta['at']} on this machine ({meta['cores']} cores, shared with other work), demo data; "
             f"{meta['app_servers']} app servers × {meta['workers']} gunicorn {meta['worker_class']} workers "
             f"({meta['threads']} threads); load: `wrk -t2 -c8 -d{meta['duration']}s --latency` over HTTPS "
             "(HTTP/1.1 keep-alive) on loopback; `python -m bench.stack`.",
             "",
             "| page | bytes | cached rps | cached p50 ms | cached p99 ms | file rps | file p50 ms | file p99 ms | "
             "cached / file rps | p50 ratio | p99 ratio | uncached rps | uncached p50 ms | uncached p99 ms |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for page in results["pages"]:
        c, f, u = page["cached"], page["file"], page["uncached"]
        lines.append(f"| {page['label']} `{page['path']}` | {page['bytes']:,} | {c['rps']:,} | {c['p50_ms']} | "
                     f"{c['p99_ms']} | {f['rps']:,} | {f['p50_ms']} | {f['p99_ms']} | **{page['rps_ratio']}×** | "
                     f"{page['p50_ratio']} | {page['p99_ratio']} | {u['rps']:,} | {u['p50_ms']} | {u['p99_ms']} |")
    s = results["scale_out"]
    lines += ["", "Uncached path (caches bypassed, every request rendered by Django from the database), "
              "`wrk -c16`, country page:", "",
              "| app servers | rps | p50 ms | p99 ms |", "|---:|---:|---:|---:|",
              f"| 1 | {s['one']['rps']:,} | {s['one']['p50_ms']} | {s['one']['p99_ms']} |",
              f"| 2 | {s['two']['rps']:,} | {s['two']['p50_ms']} | {s['two']['p99_ms']} |",
              "", f"Scale-out factor (two app servers / one): **{s['factor']}×** on {meta['cores']} cores "
              "(both app servers share the same two cores with nginx, PostgreSQL and the load generator, so this "
              "measures the cost of the second server here, not what a second machine adds)."]
    if results["worker_classes"]:
        lines += ["", "gunicorn worker class on the uncached path (2 app servers, `wrk -c16`):", "",
                  "| class | rps | p50 ms | p99 ms |", "|---|---:|---:|---:|"]
        for row in results["worker_classes"]:
            u = row["uncached"]
            lines.append(f"| {row['class']}{' × %d threads' % row['threads'] if row['class'] == 'gthread' else ''}"
                         f" | {u['rps']:,} | {u['p50_ms']} | {u['p99_ms']} |")
    lines.append(END)
    return "\n".join(lines) + "\n"


def write(section):
    path = RESULTS / "latest.md"
    text = path.read_text() if path.exists() else "# Benchmark results\n"
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + section.rstrip("\n") + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + section
    path.write_text(text)


def main(argv=None):
    import os

    parser = argparse.ArgumentParser(description="Benchmark the production stack")
    parser.add_argument("--duration", type=int, default=10)
    parser.add_argument("--dir", default=str(PROJECT / "var" / "bench" / "stack"))
    parser.add_argument("--worker-classes", default="", help="e.g. sync,gthread")
    parser.add_argument("--data", default="full", choices=["full", "existing"],
                        help="existing: the folder's database already holds the data (skip loading it)")
    args = parser.parse_args(argv)
    ports = {"https": free_port(), "http": free_port(), "primary": free_port(), "replica": free_port(),
             "redis": free_port(), "app_ports": [free_port(), free_port()]}
    stack = Stack(args.dir, ports=ports, env={"SECURE_SSL_REDIRECT": "0"})
    try:
        stack.start(data=args.data)
        results = measure(stack, args.duration, [c for c in args.worker_classes.split(",") if c])
    finally:
        stack.stop()
    meta = {"at": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
            "cores": os.cpu_count(), "app_servers": len(stack.app_ports), "workers": stack.workers,
            "threads": stack.threads, "worker_class": os.environ.get("APP_WORKER_CLASS", "gthread"),
            "duration": args.duration}
    (RESULTS / "stack.json").write_text(json.dumps({"meta": meta, **results}, indent=1))
    write(markdown(results, meta))
    print(markdown(results, meta))


if __name__ == "__main__":
    main()
