"""SQLite baseline of scripts/bench-load: the database's own durable
single-row insert rate, with the service's settings.

    python3 bench/sqlite-insert.py DB_FILE SURVEY_ID VERSION_ID SECONDS

One writer, one INSERT into `responses` per transaction (BEGIN; INSERT;
COMMIT), on the service's own database file: WAL, synchronous=FULL,
foreign keys on, as src/store/mod.rs sets them. Prints
"rate=N p50_ms=X p99_ms=Y n=COUNT".
"""
import sqlite3
import sys
import time

path, survey_id, version_id, seconds = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
db = sqlite3.connect(path, isolation_level=None, timeout=10)
mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
db.execute("PRAGMA synchronous = FULL")
db.execute("PRAGMA foreign_keys = ON")
assert mode == "wal", mode
assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
sql = (
    "INSERT INTO responses (reference, submission_id, survey_id, survey_version_id,"
    " other_organisation_name, other_organisation_sector, channel, submitted_at)"
    " VALUES (?, ?, ?, ?, 'Port of Tyne', 'port', 'web', ?)"
)
latencies = []
i = 0
cpu0 = time.process_time()
start = time.perf_counter()
deadline = start + seconds
while True:
    t0 = time.perf_counter()
    if t0 >= deadline:
        break
    i += 1
    db.execute("BEGIN")
    db.execute(sql, (f"Q{i:07d}", f"sqlite-baseline-{i}", survey_id, version_id,
                     time.strftime("%Y-%m-%dT%H:%M:%S+00:00", time.gmtime())))
    db.execute("COMMIT")
    latencies.append(time.perf_counter() - t0)
elapsed = time.perf_counter() - start
latencies.sort()
pct = lambda p: latencies[min(len(latencies) - 1, int(len(latencies) * p / 100))] * 1000
cpu_us = (time.process_time() - cpu0) / max(1, len(latencies)) * 1e6  # this process (Python and SQLite) per insert
print(f"rate={len(latencies) / elapsed:.1f} p50_ms={pct(50):.2f} p99_ms={pct(99):.2f} n={len(latencies)} cpu_us={cpu_us:.0f} sqlite={sqlite3.sqlite_version}")
