#!/usr/bin/env python3
"""The Hangfire fault: kill -9 the API instance that ran the last every-minute job (notifications-push), then watch the
schedule for a while. Passes when each minute after the kill ran the job exactly once, on a live server."""
import json
import os
import signal
import subprocess
import sys
import time

PREFIX = "assoc:hangfire:"
JOB = "notifications-push"


def redis(*args):
    master = subprocess.run(["redis-cli", "-p", "26421", "sentinel", "get-master-addr-by-name", "association"],
                            capture_output=True, text=True).stdout.split()[-1]
    return subprocess.run(["redis-cli", "-p", master, *args], capture_output=True, text=True).stdout.strip()


def server_of(job_id):
    for entry in redis("lrange", f"{PREFIX}job:{job_id}:history", "0", "-1").splitlines():
        try:
            state = json.loads(entry)
        except ValueError:
            continue
        if state.get("State") == "Processing" and state.get("ServerId"):
            return state["ServerId"]
    return None


def main():
    state_dir, watch = sys.argv[1], int(sys.argv[2])
    pids = {}
    for i in (1, 2, 3):
        with open(f"{state_dir}/api/api{i}.pid") as f:
            pids[int(f.read().strip())] = f"api{i}"
    last = redis("hget", f"{PREFIX}recurring-job:{JOB}", "LastJobId")
    server = server_of(last)
    victim_pid = int(server.split(":")[1]) if server else None
    if victim_pid not in pids:
        print(f"the last {JOB} run ({last}) names server {server}, not one of {pids}")
        sys.exit(1)
    victim = pids[victim_pid]
    os.kill(victim_pid, signal.SIGKILL)
    killed_at = time.time()
    runs = {}
    while time.time() < killed_at + watch:
        job = redis("hget", f"{PREFIX}recurring-job:{JOB}", "LastJobId")
        if job and job != last and job not in runs:
            created = int(redis("hget", f"{PREFIX}job:{job}", "CreatedAt") or 0) / 1000
            runs[job] = created
        time.sleep(2)
    time.sleep(5)
    minutes = {}
    problems = []
    for job, created in runs.items():
        minutes.setdefault(int(created // 60), []).append(job)
        state = redis("hget", f"{PREFIX}job:{job}:state", "State")
        ran_on = server_of(job)
        if state != "Succeeded":
            problems.append(f"run {job} is {state}")
        if ran_on and int(ran_on.split(":")[1]) == victim_pid:
            problems.append(f"run {job} was taken by the killed instance")
    expected = int((killed_at + watch) // 60) - int(killed_at // 60)
    problems += [f"minute {m} ran {len(j)} times" for m, j in minutes.items() if len(j) > 1]
    # The minute of the kill may be lost with the instance that had already taken it; every later one must run.
    missed = expected - len(minutes)
    if missed > 1:
        problems.append(f"{len(minutes)} runs in {expected} minutes")
    servers = sorted({(server_of(j) or "?").split(":")[1] for j in runs})
    print(f"killed {victim} (pid {victim_pid}), which ran the last {JOB}; in the {watch} s after, {len(runs)} runs in "
          f"{len(minutes)} distinct minutes of {expected} started ({missed} missed), none twice, on server pids {', '.join(servers)}; "
          f"first run {min(runs.values(), default=killed_at) - killed_at:.0f} s after the kill")
    for p in problems:
        print("  " + p)
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
