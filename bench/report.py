#!/usr/bin/env python3
"""Builds the Ferry vs Pushgateway comparison from one bench/run.sh run.

Inputs are the --json-out files of the shared harness (../shared/bench/bench.py) and the raw wrk
output of the /-/healthy runs; wrk output is parsed with the harness's own parse_wrk() so every
number is read the same way. Prints the table and writes OUT_DIR/latest.json and latest.md.
Exit status: 0, or 1 with --strict when a target is missed.
"""

import argparse
import json
import os
import platform
import sys
import time

SERVERS = (("ferry", "Ferry"), ("pushgateway", "Pushgateway"))

# (key, label, field, unit, higher_is_better). field is a wrk result field or None for a plain
# number stored directly under key in the harness results.
ROWS = (
    ("a_put_rr", "a  PUT 1k groups rr (checked)", "rps", "req/s", True),
    ("a_put_rr", "a  PUT 1k groups rr (checked)", "p99_ms", "p99 ms", False),
    ("b_post_hot", "b  POST one hot group", "rps", "req/s", True),
    ("c1_scrape_1k_latency", "c1 GET /metrics 10k series, c1", "p50_ms", "p50 ms", False),
    ("c1_scrape_1k_throughput", "c1 GET /metrics 10k series, c8", "rps", "req/s", True),
    ("c2_scrape_100k_latency", "c2 GET /metrics 100k series, c1", "p50_ms", "p50 ms", False),
    ("c2_scrape_100k_throughput", "c2 GET /metrics 100k series, c8", "rps", "req/s", True),
    ("a2_put_rr_10k", "a2 PUT 10k groups rr (checked)", "rps", "req/s", True),
    ("a2_put_rr_10k", "a2 PUT 10k groups rr (checked)", "p99_ms", "p99 ms", False),
    ("healthy", "h  GET /-/healthy", "rps", "req/s", True),
    ("healthy", "h  GET /-/healthy", "p99_ms", "p99 ms", False),
    ("healthy_idle", "h2 GET /-/healthy, 1k idle conns open", "rps", "req/s", True),
    ("healthy_idle", "h2 GET /-/healthy, 1k idle conns open", "p99_ms", "p99 ms", False),
    ("d_rss_100k_kb", "d  RSS, 100k series", None, "MiB", False),
    ("d_hwm_100k_kb", "d  peak RSS (VmHWM), 100k series", None, "MiB", False),
    ("rss_start_kb", "   RSS at start", None, "MiB", False),
    ("load_small_s", "   load 1k groups (4 loaders)", None, "s", False),
    ("load_large_s", "   grow to 10k groups", None, "s", False),
    ("scrape_100k_bytes", "   /metrics body, 100k series", None, "MB", False),
)

WRK_PHASES = ("a_put_rr", "b_post_hot", "c1_scrape_1k_latency", "c1_scrape_1k_throughput",
              "c2_scrape_100k_latency", "c2_scrape_100k_throughput", "a2_put_rr_10k", "healthy",
              "healthy_idle")


def load_parse_wrk(shared_bench):
    sys.path.insert(0, shared_bench)
    try:
        import bench  # the shared harness; importing it runs nothing
    except ImportError as e:
        raise SystemExit("report: cannot import the shared harness from %s: %s" % (shared_bench, e))
    return bench.parse_wrk


def load_server(bench_json, healthy_txt, healthy_idle_txt, parse_wrk):
    with open(bench_json) as f:
        res = json.load(f)["results"]
    with open(healthy_txt) as f:
        res["healthy"] = parse_wrk(f.read())
    if healthy_idle_txt and os.path.exists(healthy_idle_txt):
        with open(healthy_idle_txt) as f:
            res["healthy_idle"] = parse_wrk(f.read())
    return res


def value(res, key, field):
    if res is None:
        return None
    v = res.get(key)
    if field is not None:
        v = v.get(field) if isinstance(v, dict) else None
    if v is None:
        return None
    if key.endswith("_kb"):
        return v / 1024.0
    if key.endswith("_bytes"):
        return v / 1e6
    return float(v)


def errors(res, key):
    w = res.get(key) if res else None
    if not isinstance(w, dict):
        return 0
    return (w.get("non2xx") or 0) + (w.get("socket_errors") or 0)


def fmt(v, unit):
    if v is None:
        return "-"
    if unit == "req/s":
        return "{:,.0f}".format(v)
    if unit == "MiB" or unit == "MB":
        return "%.1f" % v
    if unit == "s":
        return "%.1f" % v
    return "%.3g" % v if v < 1 else "%.2f" % v if v < 100 else "{:,.0f}".format(v)


def fmt_ratio(r):
    if r is None:
        return "-"
    if r >= 1000:
        return "{:,.0f}x".format(r)
    if r >= 10:
        return "%.1fx" % r
    return ("%.2fx" % r) if r >= 0.01 else ("%.2gx" % r)


def ratio(a, b):
    if a is None or b is None or b == 0:
        return None
    return a / b


def check(name, val, op, threshold, err_note):
    """One target: result is PASS, MISS or n/a (not measurable in this run)."""
    if val is None:
        result = "n/a"
    elif err_note:
        result = "MISS"
    else:
        result = "PASS" if (val >= threshold if op == ">=" else val <= threshold) else "MISS"
    return {"name": name, "value": val, "op": op, "threshold": threshold, "result": result,
            "note": err_note}


def error_note(servers, pairs):
    bad = ["%s %s: %d" % (s, k, errors(servers.get(s), k)) for s, k in pairs
           if errors(servers.get(s), k)]
    return ("errors (non-2xx/socket) in " + ", ".join(bad)) if bad else ""


def evaluate(servers):
    f, p = servers.get("ferry"), servers.get("pushgateway")
    v = lambda res, key, field="rps": value(res, key, field)  # noqa: E731
    both = lambda k: [("ferry", k), ("pushgateway", k)]  # noqa: E731
    return [
        check("GET /-/healthy: Ferry / Pushgateway",
              ratio(v(f, "healthy"), v(p, "healthy")), ">=", 1.0, error_note(servers, both("healthy"))),
        check("GET /-/healthy, 1,000 idle connections open: Ferry / Pushgateway",
              ratio(v(f, "healthy_idle"), v(p, "healthy_idle")), ">=", 1.0,
              error_note(servers, both("healthy_idle"))),
        check("checked PUT, 1k groups stored: Ferry / Pushgateway",
              ratio(v(f, "a_put_rr"), v(p, "a_put_rr")), ">=", 100.0,
              error_note(servers, both("a_put_rr"))),
        check("checked PUT, 1k groups: Ferry / Ferry's own /-/healthy",
              ratio(v(f, "a_put_rr"), v(f, "healthy")), ">=", 0.5,
              error_note(servers, [("ferry", "a_put_rr"), ("ferry", "healthy")])),
        check("checked PUT, 10k groups stored / 1k groups stored (Ferry)",
              ratio(v(f, "a2_put_rr_10k"), v(f, "a_put_rr")), ">=", 0.8,
              error_note(servers, [("ferry", "a_put_rr"), ("ferry", "a2_put_rr_10k")])),
        check("GET /metrics, 100k series, c8: Ferry / Pushgateway",
              ratio(v(f, "c2_scrape_100k_throughput"), v(p, "c2_scrape_100k_throughput")), ">=",
              20.0, error_note(servers, both("c2_scrape_100k_throughput"))),
        check("RSS with 100k series: Ferry / Pushgateway",
              ratio(v(f, "d_rss_100k_kb", None), v(p, "d_rss_100k_kb", None)), "<=", 1 / 3.0, ""),
    ]


def self_ratios(res):
    """Ratios of a server against itself; the targets apply to Ferry, Pushgateway is context."""
    return {
        "put_1k_over_healthy": ratio(value(res, "a_put_rr", "rps"), value(res, "healthy", "rps")),
        "put_10k_over_put_1k": ratio(value(res, "a2_put_rr_10k", "rps"),
                                     value(res, "a_put_rr", "rps")),
    }


def fmt_threshold(t):
    if abs(t["threshold"] - 1 / 3.0) < 1e-9:
        return t["op"] + " 1/3"
    return "%s %gx" % (t["op"], t["threshold"])


def build_rows(servers):
    rows = []
    for key, label, field, unit, higher in ROWS:
        vals = {s: value(servers.get(s), key, field) for s, _ in SERVERS}
        errs = {s: errors(servers.get(s), key) if key in WRK_PHASES else 0 for s, _ in SERVERS}
        rows.append({"phase": key, "label": label, "metric": unit, "higher_is_better": higher,
                     "ferry": vals["ferry"], "pushgateway": vals["pushgateway"],
                     "ferry_over_pushgateway": ratio(vals["ferry"], vals["pushgateway"]),
                     "errors": errs})
    return rows


def cell(row, s):
    text = fmt(row[s], row["metric"])
    return text + (" (%d err)" % row["errors"][s] if row["errors"][s] else "")


def text_table(rows, targets, selfr, ran):
    out = []
    w = (34, 7, 18, 18, 10)
    out.append("%-*s %-*s %*s %*s %*s" % (w[0], "phase", w[1], "unit", w[2], "Ferry", w[3],
                                          "Pushgateway", w[4], "Ferry/PGW"))
    out.append("-" * (sum(w) + 4))
    for r in rows:
        out.append("%-*s %-*s %*s %*s %*s" % (
            w[0], r["label"], w[1], r["metric"], w[2], cell(r, "ferry"), w[3],
            cell(r, "pushgateway"), w[4], fmt_ratio(r["ferry_over_pushgateway"])))
    out.append("%-*s %-*s %*s %*s" % (w[0], "   PUT 1k / own /-/healthy", w[1], "ratio", w[2],
                                      fmt_ratio(selfr["ferry"]["put_1k_over_healthy"]), w[3],
                                      fmt_ratio(selfr["pushgateway"]["put_1k_over_healthy"])))
    out.append("%-*s %-*s %*s %*s" % (w[0], "   PUT 10k / PUT 1k", w[1], "ratio", w[2],
                                      fmt_ratio(selfr["ferry"]["put_10k_over_put_1k"]), w[3],
                                      fmt_ratio(selfr["pushgateway"]["put_10k_over_put_1k"])))
    out.append("")
    out.append("targets (issue)                                              "
               "measured   target   result")
    for t in targets:
        out.append("  %-58s %8s %8s   %s%s" % (t["name"], fmt_ratio(t["value"]),
                                              fmt_threshold(t), t["result"],
                                              "  (" + t["note"] + ")" if t["note"] else ""))
    if len(ran) < 2:
        out.append("  (only %s ran: targets that need both servers are n/a)" % " and ".join(ran))
    return "\n".join(out)


def md_table(rows, targets, selfr, meta):
    L = []
    L.append("# Ferry vs Pushgateway benchmark")
    L.append("")
    L.append("Generated by `make bench` (bench/run.sh) at %s. Numbers from a shared machine are "
             "noisy: compare ratios within one run, not absolute numbers across runs." % meta["time"])
    L.append("")
    L.append("| setting | value |")
    L.append("|---|---|")
    for k in ("servers_run", "failed", "ferry_version", "pushgateway_version", "git_rev", "cpu",
              "nproc", "kernel", "duration_s", "wrk_threads", "wrk_conns", "server_cpu", "wrk_cpu",
              "loadavg_start", "loadavg_end"):
        v = meta.get(k)
        if v in (None, "", []):
            continue
        L.append("| %s | %s |" % (k, ", ".join(v) if isinstance(v, list) else v))
    L.append("")
    L.append("| phase | unit | Ferry | Pushgateway | Ferry/Pushgateway |")
    L.append("|---|---|--:|--:|--:|")
    for r in rows:
        L.append("| %s | %s | %s | %s | %s |" % (r["label"].strip(), r["metric"], cell(r, "ferry"),
                                                 cell(r, "pushgateway"),
                                                 fmt_ratio(r["ferry_over_pushgateway"])))
    L.append("| PUT 1k / own /-/healthy | ratio | %s | %s | |" % (
        fmt_ratio(selfr["ferry"]["put_1k_over_healthy"]),
        fmt_ratio(selfr["pushgateway"]["put_1k_over_healthy"])))
    L.append("| PUT 10k / PUT 1k | ratio | %s | %s | |" % (
        fmt_ratio(selfr["ferry"]["put_10k_over_put_1k"]),
        fmt_ratio(selfr["pushgateway"]["put_10k_over_put_1k"])))
    L.append("")
    L.append("| target | measured | required | result |")
    L.append("|---|--:|--:|---|")
    for t in targets:
        L.append("| %s | %s | %s | %s%s |" % (t["name"], fmt_ratio(t["value"]),
                                              fmt_threshold(t).replace(">=", "≥").replace("<=", "≤"),
                                              t["result"], " (" + t["note"] + ")" if t["note"] else ""))
    L.append("")
    L.append("Lower is better for latency (ms), memory (MiB) and load time (s); higher for req/s. "
             "`n/a`: not measurable in this run. See bench/README.md.")
    return "\n".join(L) + "\n"


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared-bench", required=True)
    ap.add_argument("--out-dir", required=True)
    ap.add_argument("--ferry")
    ap.add_argument("--ferry-healthy")
    ap.add_argument("--ferry-healthy-idle")
    ap.add_argument("--ferry-version", default="")
    ap.add_argument("--pgw")
    ap.add_argument("--pgw-healthy")
    ap.add_argument("--pgw-healthy-idle")
    ap.add_argument("--pgw-version", default="")
    ap.add_argument("--failed", action="append", default=[])
    ap.add_argument("--duration", type=int)
    ap.add_argument("--threads", type=int)
    ap.add_argument("--conns", type=int)
    ap.add_argument("--server-cpu")
    ap.add_argument("--wrk-cpu")
    ap.add_argument("--loadavg-start", default="")
    ap.add_argument("--loadavg-end", default="")
    ap.add_argument("--git-rev", default="")
    ap.add_argument("--strict", action="store_true")
    args = ap.parse_args()

    parse_wrk = load_parse_wrk(args.shared_bench)
    servers = {}
    if args.ferry:
        servers["ferry"] = load_server(args.ferry, args.ferry_healthy, args.ferry_healthy_idle,
                                       parse_wrk)
    if args.pgw:
        servers["pushgateway"] = load_server(args.pgw, args.pgw_healthy, args.pgw_healthy_idle,
                                             parse_wrk)
    ran = [label for s, label in SERVERS if s in servers]

    meta = {"time": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
            "servers_run": ran, "failed": args.failed,
            "ferry_version": args.ferry_version, "pushgateway_version": args.pgw_version,
            "git_rev": args.git_rev, "cpu": cpu_model(), "nproc": os.cpu_count(),
            "kernel": platform.release(), "duration_s": args.duration,
            "wrk_threads": args.threads, "wrk_conns": args.conns,
            "server_cpu": args.server_cpu, "wrk_cpu": args.wrk_cpu,
            "loadavg_start": args.loadavg_start, "loadavg_end": args.loadavg_end}
    rows = build_rows(servers)
    targets = evaluate(servers)
    selfr = {s: self_ratios(servers.get(s)) for s, _ in SERVERS}

    print()
    print(text_table(rows, targets, selfr, ran))
    os.makedirs(args.out_dir, exist_ok=True)
    with open(os.path.join(args.out_dir, "latest.json"), "w") as f:
        json.dump({"meta": meta, "servers": servers, "comparison": rows, "self_ratios": selfr,
                   "targets": targets}, f, indent=1, sort_keys=True)
        f.write("\n")
    with open(os.path.join(args.out_dir, "latest.md"), "w") as f:
        f.write(md_table(rows, targets, selfr, meta))
    print("\nwrote %s and latest.md (raw wrk output and server logs in raw/)"
          % os.path.join(args.out_dir, "latest.json"))
    if args.strict and any(t["result"] == "MISS" for t in targets):
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
