#!/usr/bin/env python3
"""Measures folio against what users would run instead, on one archive, warm cache:

    folio list DIR        against  rg -m1 --no-filename '^# ' DIR
    folio find QUERY DIR  against  rg -m1 --no-filename '^# ' DIR | fzf --filter QUERY
    folio search QUERY DIR against rg -F -i -l TERM DIR (| rg -F -i -l TERM2 … for more terms),
                          with `search` as a third argument; the index is built (and timed,
                          with one rg pass beside it) before the rounds

The commands of a pair run in turn, round after round, so that a load that comes and goes
(other builds, a busy host) weighs on both alike; each figure is the median of its rounds, and
the ratio is folio's median over the alternative's. Peak memory (maximum resident set) comes
from GNU time. Needs ripgrep, fzf and GNU time: apt-get install ripgrep fzf time.

`list` is measured three ways: on an unchanged archive (the head cache read), as a first run
(no head cache: it is written), and with --no-cache.

Usage: benches/compare.py DIR QUERY [ROUNDS]           (from the repository; builds folio first)
       benches/compare.py DIR QUERY search [ROUNDS]    (full-text search against rg -F -i -l)
"""

import json
import os
import resource
import shlex
import shutil
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
    full_text = len(sys.argv) > 3 and sys.argv[3] == "search"
    rest = sys.argv[4:] if full_text else sys.argv[3:]
    rounds = int(rest[0]) if rest else 15
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
    if full_text:
        search(folio, folder, query, rounds)
        return
    # The head cache in a folder of its own: `list` on an unchanged archive reads it; a first
    # run has none (it is removed before each run, and written again by it); --no-cache reads
    # every head and writes nothing.
    cache = shlex.quote(subprocess.run(["mktemp", "-d"], capture_output=True,
                                       text=True).stdout.strip())
    env = f"XDG_CACHE_HOME={cache}"
    compare("list, unchanged archive (head cache)", f"{env} {folio} list {d}", titles, rounds)
    compare("list, first run (no head cache yet)",
            f"rm -rf {cache}/folio; {env} {folio} list {d}", titles, rounds)
    compare("list --no-cache", f"{env} {folio} list --no-cache {d}", titles, rounds)
    compare("find", f"{env} {folio} find {q} {d}", f"{titles} | fzf --filter {q}", rounds)
    shutil.rmtree(shlex.split(cache)[0], ignore_errors=True)  # 180 MB of heads on 1M


def search(folio, folder, query, rounds):
    """folio search against rg -F -i -l, term by term (rg's -l of the first term, then each
    further term over those files), after timing a fresh index build next to one rg pass."""
    d = shlex.quote(folder)
    terms = query.split()
    rg = f"rg -F -i -l -- {shlex.quote(terms[0])} {d}"
    for term in terms[1:]:
        rg += f" | xargs -d '\\n' rg -F -i -l -- {shlex.quote(term)}"
    cache = subprocess.run(["mktemp", "-d"], capture_output=True, text=True).stdout.strip()
    env = f"XDG_CACHE_HOME={shlex.quote(cache)}"
    build = run(f"{env} {folio} index {d}")[0]
    size = int(subprocess.run(f"du -sb {shlex.quote(cache)}", shell=True, capture_output=True,
                              text=True).stdout.split()[0])
    archive = sum(os.path.getsize(os.path.join(root, name))
                  for root, _, names in os.walk(folder) for name in names
                  if name.lower().endswith((".md", ".markdown")))
    one_rg = run(rg)[0]
    print(f"index build {build:.1f} s (one rg pass {one_rg * 1000:.0f} ms, peak memory "
          f"{peak_kb(f'rm -rf {shlex.quote(cache)}/folio; {env} {folio} index {d}') / 1024:.0f} MB); "
          f"cache {size / 1e6:.1f} MB = {size / archive:.2f}x the articles' {archive / 1e6:.1f} MB")
    compare(f"search {query!r}", f"{env} {folio} search {shlex.quote(query)} {d}", rg, rounds)
    shutil.rmtree(cache, ignore_errors=True)  # the index of a large archive is hundreds of MB


if __name__ == "__main__":
    main()
