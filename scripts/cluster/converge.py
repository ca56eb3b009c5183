#!/usr/bin/env python3
"""After a Redis failover: the live leaderboard (answered from Redis again) agrees with the ledger's period totals in
MariaDB for every member it lists. Prints the finding; exits 1 on any difference."""
import json
import subprocess
import sys
import urllib.request
import uuid


def main():
    api, port, sub_district = sys.argv[1], sys.argv[2], sys.argv[3]
    request = urllib.request.Request(f"{api}/api/auth/sign-in", data=json.dumps({"code": f"admin#{uuid.uuid4()}"}).encode(),
                                     headers={"Content-Type": "application/json"}, method="POST")
    token = json.load(urllib.request.urlopen(request))["accessToken"]
    request = urllib.request.Request(f"{api}/api/leaderboards/SubDistrict/{sub_district}", headers={"Authorization": f"Bearer {token}"})
    board = json.load(urllib.request.urlopen(request))
    ids = ",".join(str(int(e["memberId"])) for e in board["entries"])
    out = subprocess.run(["mariadb", "--no-defaults", "-h127.0.0.1", f"-P{port}", "-uassociation", "-passociation-dev-only", "association", "-Nse",
                          f"SELECT member_id, points FROM member_period_points WHERE period = '{board['quarter']}' AND member_id IN ({ids})"],
                         capture_output=True, text=True, check=True).stdout
    ledger = {int(m): int(p) for m, p in (line.split("\t") for line in out.splitlines())}
    differ = [e for e in board["entries"] if ledger.get(e["memberId"]) != e["points"]]
    print(f"leaderboard from {board['source']}: {len(board['entries'])} members, {len(differ)} differ from the ledger")
    for e in differ[:10]:
        print(f"  member {e['memberId']}: board {e['points']}, ledger {ledger.get(e['memberId'])}")
    sys.exit(0 if board["source"] == "Redis" and not differ and board["entries"] else 1)


if __name__ == "__main__":
    main()
