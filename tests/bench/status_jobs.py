#!/usr/bin/env python3
"""Creates N distinct SUBMITTED jobs for the status benchmark, over one keep-alive connection.

  status_jobs.py batchdeck URL TOKEN N PREFIX    items through POST /pipeline/{run}/items, then submit
  status_jobs.py peer URL PEER_DB N PREFIX       run_items written to the peer's SQLite, then submit

Each job is the run PREFIX-<i> with one item; the batch type is `summarize` for Batchdeck and the
peer's fixed `units`. Prints the paths of the status endpoint, one per line, for the wrk script.
"""
import http.client
import json
import sqlite3
import sys
import urllib.parse


def post(conn, path, body=None, headers=None):
    conn.request("POST", path, body=body, headers=headers or {})
    response = conn.getresponse()
    data = response.read()
    if response.status != 200:
        sys.exit("POST %s: %d %s" % (path, response.status, data[:200]))


def main():
    side, url, secret, count, prefix = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), sys.argv[5]
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    runs = ["%s-%d" % (prefix, i) for i in range(count)]
    if side == "batchdeck":
        auth = {"Authorization": "Bearer " + secret}
        for run in runs:
            body = json.dumps([{"id": "k0", "text": "Topic of " + run}])
            post(conn, "/pipeline/%s/items" % run, body, dict(auth, **{"Content-Type": "application/json"}))
            post(conn, "/pipeline/%s/submit-batch/summarize" % run, None, auth)
        batch_type = "summarize"
    else:
        db = sqlite3.connect(secret)
        db.executemany("INSERT INTO run_items (run_id, item_key, payload) VALUES (?, ?, ?)",
                       [(run, "k0", json.dumps({"title": "Topic of " + run})) for run in runs])
        db.commit()
        for run in runs:
            post(conn, "/pipeline/%s/submit-batch/units" % run)
        batch_type = "units"
    for run in runs:
        print("/pipeline/%s/batch-job-status/%s" % (run, batch_type))


if __name__ == "__main__":
    main()
