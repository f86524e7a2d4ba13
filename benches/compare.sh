#!/usr/bin/env bash
# Measures folio against what users would run instead, in the same run, warm cache:
#   folio list DIR        vs  rg -m1 --no-filename '^# ' DIR
#   folio find QUERY DIR  vs  rg -m1 --no-filename '^# ' DIR | fzf --filter QUERY
# and the peak memory of each (/usr/bin/time -v). Needs hyperfine, ripgrep, fzf and GNU time
# (apt-get install hyperfine ripgrep fzf time). Usage: benches/compare.sh DIR QUERY [RUNS]
set -euo pipefail
dir=$1
query=$2
runs=${3:-10}
cd "$(dirname "$0")/.."
cargo build --release --quiet
folio=$(cargo metadata --format-version 1 --no-deps | python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/folio
rg_titles="rg -m1 --no-filename '^# ' '$dir'"

echo "## $dir ($("$folio" list "$dir" 2>/dev/null | wc -l) articles), query '$query', $(nproc) cores"
hyperfine -N --warmup 3 --runs "$runs" --style basic \
    "$folio list '$dir'" "$rg_titles" 2>&1 | grep -E 'Benchmark|Time|faster'
hyperfine --warmup 3 --runs "$runs" --style basic -i \
    "$folio find '$query' '$dir'" "$rg_titles | fzf --filter '$query'" 2>&1 |
    grep -E 'Benchmark|Time|faster'
peak() { /usr/bin/time -v bash -c "$1 > /dev/null 2>&1" 2>&1 | awk '/Maximum resident/ {print $6 " KB"}'; }
echo "peak memory: folio list $(peak "'$folio' list '$dir'"), rg $(peak "$rg_titles")"
echo "peak memory: folio find $(peak "'$folio' find '$query' '$dir'"), rg | fzf $(peak "$rg_titles | fzf --filter '$query'")"
