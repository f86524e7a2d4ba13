#!/usr/bin/env python3
"""Measures folio's interface on one archive through tmux, as a user starts it:

    first frame      from starting folio until its first screen is drawn
    whole list       until every article is listed ("indexing…" gone from the status line)
    keystrokes       each of r, u, s, t, x typed in turn, until the count on the first row
                     shows that key's answer (tmux adds a few milliseconds)
    settled          from the last key until its count stops changing (a key typed while the
                     titles are still being prepared is answered from those prepared so far)
    memory           the process's peak resident set (VmHWM) once the count has settled

Each round starts folio afresh in a 100x30 tmux window with the head cache warm (a first run
fills it before the rounds); figures are medians over the rounds. Needs tmux.

Usage: benches/interface.py DIR [ROUNDS]   (from the repository; builds folio first)
"""

import os
import re
import statistics
import subprocess
import sys
import time

SOCKET = f"folio-interface-bench-{os.getpid()}"
POLL = 0.002
PATIENCE = 120.0
COUNT = re.compile(r"(\d+)/(\d+)")


def tmux(*args):
    return subprocess.run(
        ["tmux", "-L", SOCKET, *args], capture_output=True, text=True
    ).stdout


def screen():
    return tmux("capture-pane", "-p")


def wait_for(test, patience=PATIENCE):
    """Seconds until test(screen) holds, polling; raises after `patience` seconds."""
    start = time.perf_counter()
    while time.perf_counter() - start < patience:
        shown = screen()
        if test(shown):
            return time.perf_counter() - start, shown
        time.sleep(POLL)
    raise TimeoutError(screen())


def first_row_count(shown):
    """The `shown/total` count on the first row, or None."""
    first = shown.splitlines()[0] if shown else ""
    found = COUNT.search(first)
    return (int(found.group(1)), int(found.group(2))) if found else None


def peak_memory_mb():
    pid = tmux("list-panes", "-F", "#{pane_pid}").strip()
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def one_round(folio, folder):
    tmux("kill-server")
    start = time.perf_counter()
    tmux("new-session", "-d", "-x", "100", "-y", "30", f"{folio} --no-state {folder}")
    wait_for(lambda s: first_row_count(s) is not None)
    first_frame = time.perf_counter() - start
    wait_for(lambda s: "indexing" not in s and (first_row_count(s) or (0, 0))[1] > 0)
    whole = time.perf_counter() - start
    keys = []
    previous = first_row_count(screen())
    typed_so_far = ""
    for key in "rustx":
        typed_so_far += key
        typed = time.perf_counter()
        tmux("send-keys", "-l", key)
        # Answered: the query is on the first row and the count has changed (a key whose
        # answer has the same count as the last one is not timed: NaN).
        try:
            _, shown = wait_for(
                lambda s, p=previous, q=typed_so_far: q in s.splitlines()[0]
                and first_row_count(s) != p,
                patience=5.0,
            )
            keys.append(time.perf_counter() - typed)
            previous = first_row_count(shown)
        except TimeoutError:
            keys.append(float("nan"))
    # The count stops changing: no change for a second.
    last_key = typed
    shown, changed = first_row_count(screen()), time.perf_counter()
    while time.perf_counter() - changed < 1.0:
        time.sleep(POLL)
        now = first_row_count(screen())
        if now != shown:
            shown, changed = now, time.perf_counter()
    settled = changed - last_key
    memory = peak_memory_mb()
    tmux("kill-server")
    return first_frame, whole, keys, memory, settled


def main():
    if len(sys.argv) < 2:
        print(__doc__)
        sys.exit(2)
    folder = sys.argv[1]
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    subprocess.run(["cargo", "build", "--release", "--quiet"], check=True)
    folio = os.path.abspath("target/release/folio")
    subprocess.run([folio, "list", folder], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    results = [one_round(folio, folder) for _ in range(rounds)]
    ms = lambda values: f"{statistics.median(values) * 1000:.0f} ms"
    print(f"## {folder}: interface, 100x30, {rounds} rounds, medians (range)")
    for name, index in (("first frame", 0), ("whole list", 1)):
        values = [r[index] for r in results]
        print(f"{name}: {ms(values)} ({min(values) * 1000:.0f}–{max(values) * 1000:.0f} ms)")
    for k, key in enumerate("rustx"):
        values = [r[2][k] for r in results]
        print(f"key {key!r}: {ms(values)} ({min(values) * 1000:.0f}–{max(values) * 1000:.0f} ms)")
    settled = [r[4] for r in results]
    print(f"settled: {ms(settled)} ({min(settled) * 1000:.0f}–{max(settled) * 1000:.0f} ms)")
    memory = [r[3] for r in results]
    print(f"peak memory: {statistics.median(memory):.0f} MB ({min(memory):.0f}–{max(memory):.0f} MB)")


if __name__ == "__main__":
    main()
