#!/usr/bin/env python3
"""A burst of writes against the cluster's API, as phones on a bad network send them, while a fault is injected.

Each write is a points adjustment by the sub-district's admin (an award through the ledger) or a membership
application by a new resident. A write is retried with its own Idempotency-Key until it is answered 2xx or refused
with a 4xx, or until it gives up; every answer is counted. Optionally, leaderboard reads run beside the writes.

Writes a JSON report to stdout: requests sent, writes acknowledged (with the keys that identify them in the database
afterwards), errors seen by clients by status, and the seconds from the fault to the first acknowledged write after it.
"""
import argparse
import json
import random
import subprocess
import threading
import time
import urllib.error
import urllib.request
import uuid

ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
ID_CHECK = "10X98765432"


def id_number(rng):
    birth = f"{rng.randint(1950, 2000)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    body = f"430103{birth}{rng.randint(0, 999):03d}"
    return body + ID_CHECK[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS)) % 11]


class Api:
    def __init__(self, base):
        self.base = base

    def call(self, method, path, body=None, token=None, key=None, timeout=10):
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        if key:
            headers["Idempotency-Key"] = key
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read()
                return response.status, json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            text = e.read()
            try:
                return e.code, json.loads(text) if text else None
            except ValueError:
                return e.code, None
        except ValueError:  # an answer that is not JSON: a proxy's error page
            return 0, {"error": "NotJson"}
        except Exception as e:  # a reset connection, a timeout: the phone saw no answer
            return 0, {"error": type(e).__name__}

    def sign_in(self, user, patience=0.0):
        deadline = time.monotonic() + patience
        while True:
            status, body = self.call("POST", "/api/auth/sign-in", {"code": f"{user}#{uuid.uuid4()}"})
            if status == 200 and isinstance(body, dict) and "accessToken" in body:
                return body["accessToken"], body["userId"]
            if time.monotonic() > deadline:
                raise RuntimeError(f"sign-in of {user} answered {status} {body}")
            time.sleep(0.5)


class Burst:
    def __init__(self, api, admin, members, grid_id, give_up):
        self.api = api
        self.admin = admin
        self.members = members
        self.grid_id = grid_id
        self.give_up = give_up
        self.lock = threading.Lock()
        self.sent = 0
        self.errors = {}
        self.acknowledged = {"adjustments": [], "applications": []}
        self.unacknowledged = {"adjustments": [], "applications": []}
        self.reads = 0
        self.read_errors = {}
        self.fault_at = None
        self.acks = []

    def note(self, status, body=None):
        with self.lock:
            self.sent += 1
            if not 200 <= status < 300:
                code = body.get("code") or body.get("error") if isinstance(body, dict) else None
                name = f"{status} {code}" if code else str(status)
                self.errors[name] = self.errors.get(name, 0) + 1

    def retrying(self, kind, ident, send):
        key = str(uuid.uuid4())
        deadline = time.monotonic() + self.give_up
        while True:
            status, body = send(key)
            self.note(status, body)
            if 200 <= status < 300:
                with self.lock:
                    self.acknowledged[kind].append(ident)
                    self.acks.append(time.monotonic())
                return
            # A refusal is final, except the ones that say "not yet": the same key still being answered, or too many at once.
            code = body.get("code") if isinstance(body, dict) else None
            if 400 <= status < 500 and status not in (408, 429) and code != "http.idempotencyKey.inProgress":
                break
            if time.monotonic() > deadline:
                break
            time.sleep(0.3)
        with self.lock:
            self.unacknowledged[kind].append(ident)

    def longest_gap_after_fault(self):
        """The longest time from the fault on during which no write was acknowledged: what clients saw as the outage."""
        if self.fault_at is None:
            return None
        times = [self.fault_at] + sorted(t for t in self.acks if t > self.fault_at)
        return round(max(b - a for a, b in zip(times, times[1:])), 2) if len(times) > 1 else None

    def adjustment(self, rng):
        tag = f"集群测试{uuid.uuid4().hex[:16]}"
        member = rng.choice(self.members)
        self.retrying("adjustments", tag, lambda key: self.api.call(
            "POST", "/api/points/adjustments", {"memberId": member, "points": 1, "reason": tag}, self.admin, key))

    def application(self, rng):
        user = f"burst-{uuid.uuid4().hex[:12]}"
        try:
            token, user_id = self.api.sign_in(user)
        except RuntimeError:
            self.note(0)
            return
        body = {
            "realName": "测试居民", "phone": f"139{rng.randint(10000000, 99999999)}", "idNumber": id_number(rng), "gridId": self.grid_id,
            "address": "大托铺街道集群测试1号", "volunteerRoles": ["Patrol"], "privacyNoticeVersion": "2026-11", "consent": True,
            "notifyOnDecision": False,
        }
        self.retrying("applications", user_id, lambda key: self.api.call("POST", "/api/membership/applications", body, token, key))

    def writer(self, until, seed):
        rng = random.Random(f"{seed}-{uuid.uuid4()}")
        while time.monotonic() < until:
            self.adjustment(rng) if rng.random() < 0.7 else self.application(rng)

    def reader(self, until, path):
        while time.monotonic() < until:
            status, _ = self.api.call("GET", path, token=self.admin, timeout=5)
            with self.lock:
                self.reads += 1
                if status != 200:
                    self.read_errors[str(status)] = self.read_errors.get(str(status), 0) + 1
            time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--api", default="http://127.0.0.1:5100")
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--writers", type=int, default=8)
    parser.add_argument("--fault-after", type=float, default=8)
    parser.add_argument("--fault", default="", help="a shell command run once, fault-after seconds into the burst")
    parser.add_argument("--read", default="", help="a GET path read in a loop beside the writes")
    parser.add_argument("--give-up", type=float, default=60)
    args = parser.parse_args()

    api = Api(args.api)
    # Instances just (re)started are let in by the proxy a moment after they are ready.
    admin, _ = api.sign_in("admin", patience=60)
    status, page = api.call("GET", "/api/members?pageSize=100&status=Active", token=admin)
    members = [m["id"] for m in page["items"]]
    grid_id = page["items"][0]["gridId"]
    burst = Burst(api, admin, members, grid_id, args.give_up)

    started = time.monotonic()
    until = started + args.seconds
    threads = [threading.Thread(target=burst.writer, args=(until, i)) for i in range(args.writers)]
    if args.read:
        threads += [threading.Thread(target=burst.reader, args=(until, args.read)) for _ in range(2)]
    for t in threads:
        t.start()
    fault_output = ""
    if args.fault:
        time.sleep(args.fault_after)
        burst.fault_at = time.monotonic()
        fault_output = subprocess.run(args.fault, shell=True, capture_output=True, text=True).stdout.strip()
    for t in threads:
        t.join()

    print(json.dumps({
        "sent": burst.sent,
        "acknowledged": burst.acknowledged,
        "unacknowledged": burst.unacknowledged,
        "errors": burst.errors,
        "reads": burst.reads,
        "readErrors": burst.read_errors,
        "recoverySeconds": burst.longest_gap_after_fault(),
        "fault": fault_output,
    }, ensure_ascii=False))


if __name__ == "__main__":
    main()
