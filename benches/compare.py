#!/usr/bin/env python3
"""Measures folio against what users would run instead, on one archive, warm cache:

    folio list DIR        against  rg -m1 --no-filename '^# ' DIR
    folio find QUERY DIR  against  rg -m1 --no-filename '^# ' DIR | fzf --filter QUERY

The commands of a pair run in turn, round after round, so that a load that comes and goes
(other builds, a busy host) weighs on both alike; each figure is the median of its rounds, and
the ratio is folio's median over the alternative's. Peak memory (maximum resident set) comes
from GNU time. Needs ripgrep, fzf and GNU time: apt-get install ripgrep fzf time.

Usage: benches/compare.py DIR QUERY [ROUNDS]    (from the repository; builds folio first)
"""

import json
import os
import resource
import shlex
import statistics
import subprocess
import sys
import time


def run(command):
    """Wall, user and system seconds of one run of a shell command, its output discarded."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, shell=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime, after.ru_stime - before.ru_stime


def peak_kb(command):
    """Maximum resident set of a shell command, in KB (GNU time, on every process it waits for)."""
    result = subprocess.run(
        ["/usr/bin/time", "-f", "%M", "bash", "-c", command + " > /dev/null 2>&1"],
        capture_output=True,
        text=True,
    )
    return int(result.stderr.strip().splitlines()[-1])


def compare(name, ours, theirs, rounds):
    for command in (ours, theirs):  # warm the cache and the binaries
        run(command)
    times = {ours: [], theirs: []}
    for _ in range(rounds):
        for command in (ours, theirs):
            times[command].append(run(command))
    median = {c: [statistics.median(t[i] for t in times[c]) for i in range(3)] for c in times}
    ratio = median[ours][0] / median[theirs][0]
    print(f"{name}: folio {median[ours][0] * 1000:.1f} ms "
          f"(user {median[ours][1] * 1000:.0f}, sys {median[ours][2] * 1000:.0f}), "
          f"alternative {median[theirs][0] * 1000:.1f} ms "
          f"(user {median[theirs][1] * 1000:.0f}, sys {median[theirs][2] * 1000:.0f}): "
          f"ratio {ratio:.2f}x; peak memory folio {peak_kb(ours) / 1024:.1f} MB, "
          f"alternative {peak_kb(theirs) / 1024:.1f} MB")


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    folder, query = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 15
    os.chdir(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
    subprocess.run(["cargo", "build", "--release", "--quiet"], check=True)
    metadata = subprocess.run(["cargo", "metadata", "--format-version", "1", "--no-deps"],
                              capture_output=True, text=True, check=True).stdout
    folio = shlex.quote(os.path.join(json.loads(metadata)["target_directory"], "release", "folio"))
    d, q = shlex.quote(folder), shlex.quote(query)
    titles = f"rg -m1 --no-filename '^# ' {d}"
    count = subprocess.run(f"{folio} list {d} 2>/dev/null | wc -l", shell=True,
                           capture_output=True, text=True).stdout.strip()
    print(f"## {folder} ({count} articles), query {query!r}, {os.cpu_count()} cores, "
          f"{rounds} rounds, medians")
    compare("list", f"{folio} list {d}", titles, rounds)
    compare("find", f"{folio} find {q} {d}", f"{titles} | fzf --filter {q}", rounds)


if __name__ == "__main__":
    main()
