#!/usr/bin/env python3
"""Checks a burst's report (burst.py) against every database node: each acknowledged write is there exactly once,
no write is there twice, and the nodes agree. Prints one line per finding; exits 1 when anything is wrong."""
import json
import subprocess
import sys


def query(port, sql):
    out = subprocess.run(["mariadb", "--no-defaults", "-h127.0.0.1", f"-P{port}", "-uassociation", "-passociation-dev-only",
                          "association", "-Nse", sql], capture_output=True, text=True, check=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def main():
    report = json.load(open(sys.argv[1]))
    ports = [int(p) for p in sys.argv[2].split(",")]
    problems = []
    seen = {}
    for port in ports:
        tags = {r[0]: int(r[1]) for r in query(port, "SELECT reason, COUNT(*) FROM point_entries WHERE reason LIKE '集群测试%' GROUP BY reason")}
        users = report["acknowledged"]["applications"] + report["unacknowledged"]["applications"]
        apps = {}
        if users:
            ids = ",".join(str(int(u)) for u in users)
            apps = {int(r[0]): int(r[1]) for r in query(port, f"SELECT user_id, COUNT(*) FROM membership_applications WHERE user_id IN ({ids}) GROUP BY user_id")}
        seen[port] = (tags, apps)
        for tag in report["acknowledged"]["adjustments"]:
            if tags.get(tag, 0) != 1:
                problems.append(f"node :{port}: acknowledged adjustment {tag} found {tags.get(tag, 0)} times")
        for user in report["acknowledged"]["applications"]:
            if apps.get(user, 0) != 1:
                problems.append(f"node :{port}: acknowledged application of user {user} found {apps.get(user, 0)} times")
        problems += [f"node :{port}: adjustment {t} written {n} times" for t, n in tags.items() if n > 1]
        problems += [f"node :{port}: user {u} has {n} applications" for u, n in apps.items() if n > 1]
    server_errors = {k: n for k, n in report["errors"].items() if k.startswith("5") and not k.startswith("503")}
    if server_errors:
        problems.append(f"clients saw server errors other than 503 (unavailable, retry): {json.dumps(server_errors)}")
    first = seen[ports[0]]
    problems += [f"node :{p} differs from node :{ports[0]}" for p in ports[1:] if seen[p] != first]
    acked = len(report["acknowledged"]["adjustments"]) + len(report["acknowledged"]["applications"])
    found = sum(1 for t in report["acknowledged"]["adjustments"] if first[0].get(t) == 1) + \
        sum(1 for u in report["acknowledged"]["applications"] if first[1].get(u) == 1)
    late = sum(1 for t in report["unacknowledged"]["adjustments"] if first[0].get(t)) + \
        sum(1 for u in report["unacknowledged"]["applications"] if first[1].get(u))
    print(f"requests sent {report['sent']}, writes acknowledged {acked}, found afterwards {found} (plus {late} never acknowledged "
          f"but written), client errors {json.dumps(report['errors'])}, reads {report['reads']} with errors {json.dumps(report['readErrors'])}, "
          f"longest time without an acknowledged write after the fault {report['recoverySeconds']} s")
    for p in problems[:20]:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
