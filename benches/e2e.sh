#!/usr/bin/env bash
# End-to-end throughput of the sanctions-check binary against ripgrep on a
# generated news corpus (see benches/README.md).
#
#   bash benches/e2e.sh
#
# Environment (all optional):
#   CORPUS_MB=150        corpus size in MB (10^6 bytes)
#   CORPUS_DIR=DIR       where the corpus and term lists go
#                        (default: ${CARGO_TARGET_DIR:-target}/bench-corpus);
#                        the articles are reused when size, seed and generator match
#   SEED=42              corpus seed
#   EXTRA_TERMS=4650     generated names added to the pack for the "many terms" cases
#   TOTAL_TERMS=N        instead of EXTRA_TERMS: add names until the rg list has N terms
#   RUNS=3               runs per case; the best (fastest) is kept
#   COMPILE_RUNS=20      compilations timed by examples/compile_time (median reported)
#   RG=PATH              the ripgrep to use; by default an `rg` of version 14 or later on
#                        PATH, else one installed with `cargo install ripgrep` under
#                        ${CARGO_TARGET_DIR:-target}/bench-tools (once, ~3 minutes)
#   RG_INSTALL=apt       install Debian's ripgrep instead (13.0 on bookworm: about 3x
#                        slower than 14+ with -i and thousands of patterns)
#   RESULTS=FILE         also write the report there (default: CORPUS_DIR/e2e-results.txt)
#   CARGO_TARGET_DIR     honoured for the build and the binaries
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

TARGET_DIR=${CARGO_TARGET_DIR:-target}
CORPUS_MB=${CORPUS_MB:-150}
SEED=${SEED:-42}
EXTRA_TERMS=${EXTRA_TERMS:-4650}
TOTAL_TERMS=${TOTAL_TERMS:-}
RG_INSTALL=${RG_INSTALL:-cargo}
RUNS=${RUNS:-3}
COMPILE_RUNS=${COMPILE_RUNS:-20}
CORPUS_DIR=${CORPUS_DIR:-$TARGET_DIR/bench-corpus}
DOCS=$CORPUS_DIR/docs
TERMS=$CORPUS_DIR/terms.txt
if [ -n "$TOTAL_TERMS" ]; then
    MANY_FLAG=(--total-terms "$TOTAL_TERMS"); MANY_TAG=total-$TOTAL_TERMS
else
    MANY_FLAG=(--extra-terms "$EXTRA_TERMS"); MANY_TAG=plus-$EXTRA_TERMS
fi
BIG_TERMS=$CORPUS_DIR/terms-$MANY_TAG.txt
NAMES=$CORPUS_DIR/names-$MANY_TAG.yaml
RESULTS=${RESULTS:-$CORPUS_DIR/e2e-results.txt}

say() { printf '== %s\n' "$*" >&2; }
die() { printf 'e2e.sh: %s\n' "$*" >&2; exit 2; }

# --- tools -------------------------------------------------------------------
SUDO=""
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null; then SUDO=sudo; fi
APT_UPDATED=""
apt_install() {
    command -v apt-get >/dev/null || die "$1 is missing and apt-get is not available: install $1"
    if [ -z "$APT_UPDATED" ]; then $SUDO apt-get update -qq; APT_UPDATED=1; fi
    $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
[ -x /usr/bin/time ] || { say "installing time"; apt_install time; }
[ -x /usr/bin/time ] || die "/usr/bin/time is not installed"

# ripgrep: 14 or later (its regex engine is much faster than 13's with -i and
# thousands of literals; Debian bookworm has 13.0).
rg_major() { "$1" --version 2>/dev/null | sed -n '1s/^ripgrep \([0-9]*\)\..*/\1/p'; }
if [ -z "${RG:-}" ]; then
    TOOLS=$TARGET_DIR/bench-tools
    if command -v rg >/dev/null && [ "$(rg_major rg)" -ge 14 ] 2>/dev/null; then
        RG=$(command -v rg)
    elif [ -x "$TOOLS/bin/rg" ]; then
        RG=$TOOLS/bin/rg
    elif [ "$RG_INSTALL" = apt ]; then
        command -v rg >/dev/null || { say "installing ripgrep (apt)"; apt_install ripgrep; }
        RG=$(command -v rg)
    else
        say "installing ripgrep with cargo into $TOOLS (once)"
        if env -u CARGO_TARGET_DIR cargo install --locked --quiet ripgrep --root "$TOOLS" >&2; then
            RG=$TOOLS/bin/rg
        else
            say "cargo install ripgrep failed: falling back to apt"
            command -v rg >/dev/null || apt_install ripgrep
            RG=$(command -v rg)
        fi
    fi
fi
[ -x "$RG" ] || die "ripgrep not found ($RG)"
RG_VERSION=$("$RG" --version | sed -n 1p)
[ "$(rg_major "$RG")" -ge 14 ] 2>/dev/null || say "WARNING: $RG_VERSION is slow with -i and many patterns"

# --- build -------------------------------------------------------------------
say "cargo build --release --bins --examples"
cargo build --release --bins --examples
BIN=$TARGET_DIR/release/sanctions-check
EX=$TARGET_DIR/release/examples
[ -x "$BIN" ] || die "$BIN not found after the build"

# --- corpus ------------------------------------------------------------------
mkdir -p "$CORPUS_DIR"
GEN_HASH=$(cat benches/corpus/mod.rs examples/make_corpus.rs | sha256sum | cut -c1-16)
STAMP="mb=$CORPUS_MB seed=$SEED generator=$GEN_HASH"
if [ -d "$DOCS" ] && [ -f "$CORPUS_DIR/stamp" ] && [ "$(cat "$CORPUS_DIR/stamp")" = "$STAMP" ]; then
    say "reusing corpus $DOCS ($STAMP)"
else
    say "generating a $CORPUS_MB MB corpus in $DOCS"
    rm -rf "$DOCS" "$CORPUS_DIR/stamp"
    "$EX/make_corpus" "$DOCS" "$CORPUS_MB" "$SEED" >&2
    echo "$STAMP" >"$CORPUS_DIR/stamp"
fi
# Term lists and the names rule file: always rewritten (the pack may change).
"$EX/make_corpus" "$DOCS" 0 "$SEED" --terms "$TERMS" "${MANY_FLAG[@]}" \
    --big-terms "$BIG_TERMS" --names-yaml "$NAMES" >&2

FILES=$(find "$DOCS" -type f -name '*.txt' | wc -l)
BYTES=$(find "$DOCS" -type f -name '*.txt' -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
N_TERMS=$(grep -c . "$TERMS")
N_BIG=$(grep -c . "$BIG_TERMS")

# Warm the page cache so that the first case does not pay for the disk.
find "$DOCS" -type f -exec cat {} + >/dev/null

# Sanity: both tools see every file; count the findings.
RG_FILES=$("$RG" --files "$DOCS" | wc -l)
SANITY=$(mktemp)
trap 'rm -f "$SANITY" "$SANITY".*' EXIT
set +e
"$BIN" scan --threads 2 --format jsonl "$DOCS" >"$SANITY.out" 2>"$SANITY.err"
rc=$?
set -e
[ "$rc" -le 1 ] || { cat "$SANITY.err" >&2; die "sanctions-check exited $rc"; }
FINDINGS=$(wc -l <"$SANITY.out")
SC_SUMMARY=$(tail -n 1 "$SANITY.err")
SC_FILES=$(sed -n 's/^sanctions-check: \([0-9][0-9]*\) files\{0,1\} .*/\1/p' <<<"$SC_SUMMARY")
[ "$RG_FILES" -eq "$FILES" ] || say "WARNING: rg sees $RG_FILES files of $FILES"
[ "${SC_FILES:-0}" -eq "$FILES" ] || say "WARNING: sanctions-check saw ${SC_FILES:-?} files of $FILES ($SC_SUMMARY)"

# --- timing ------------------------------------------------------------------
# measure KEY CMD...: RUNS runs of CMD (stdout to /dev/null), timed with
# /usr/bin/time; keeps the best elapsed time and the peak RSS over the runs.
# Exit status 0 and 1 are fine (1 = findings for sanctions-check, no match for rg).
declare -A SECS RSS CPU
measure() {
    local key=$1; shift
    local best="" peak=0 i rc line secs kb user sys cpu t0 t1 best_cpu=""
    for ((i = 1; i <= RUNS; i++)); do
        t0=$EPOCHREALTIME
        set +e
        /usr/bin/time -f "%e %M %U %S" -o "$SANITY.time" "$@" >/dev/null 2>"$SANITY.err"
        rc=$?
        set -e
        t1=$EPOCHREALTIME
        if [ "$rc" -gt 1 ]; then cat "$SANITY.err" >&2; die "$key: exit status $rc: $*"; fi
        # GNU time writes "Command exited with non-zero status 1" first when rc=1.
        line=$(tail -n 1 "$SANITY.time")
        read -r secs kb user sys <<<"$line"
        cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.2f", u + s}')
        # Wall time from the shell clock (µs resolution; %e only has 10 ms).
        secs=$(awk -v a="${t0/,/.}" -v b="${t1/,/.}" 'BEGIN {printf "%.3f", b - a}')
        if [ -z "$best" ] || awk -v s="$secs" -v b="$best" 'BEGIN {exit !(s < b)}'; then
            best=$secs
            best_cpu=$cpu
        fi
        if [ "$kb" -gt "$peak" ]; then peak=$kb; fi
        say "$key run $i: ${secs}s, ${kb} KB, ${cpu}s CPU"
    done
    SECS[$key]=$best
    CPU[$key]=$best_cpu
    RSS[$key]=$peak
}

# A one-article folder: what each tool costs before it reads a byte (its
# pattern compilation and start-up), reported as the "startup" column.
ONE=$CORPUS_DIR/one
rm -rf "$ONE"; mkdir -p "$ONE"
cp "$(find "$DOCS" -type f -name '*.txt' | sort | head -n 1)" "$ONE/"

LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
say "timing ($RUNS runs each, best kept)"
measure rg_1t "$RG" -j1 -c -i -F -f "$TERMS" "$DOCS"
measure rg_2t "$RG" -j2 -c -i -F -f "$TERMS" "$DOCS"
measure rg_cs "$RG" -j1 -c -F -f "$TERMS" "$DOCS"
measure sc_1t "$BIN" scan --threads 1 -q --format jsonl "$DOCS"
measure sc_2t "$BIN" scan --threads 2 -q --format jsonl "$DOCS"
measure rg_big "$RG" -j1 -c -i -F -f "$BIG_TERMS" "$DOCS"
measure sc_big "$BIN" scan --threads 1 -q --format jsonl --rules builtin --rules "$NAMES" "$DOCS"
measure rg_1t_start "$RG" -j1 -c -i -F -f "$TERMS" "$ONE"
measure rg_big_start "$RG" -j1 -c -i -F -f "$BIG_TERMS" "$ONE"
measure sc_1t_start "$BIN" scan --threads 1 -q --format jsonl "$ONE"
measure sc_big_start "$BIN" scan --threads 1 -q --format jsonl --rules builtin --rules "$NAMES" "$ONE"

say "compile time ($COMPILE_RUNS runs, median)"
COMPILE=$("$EX/compile_time" --runs "$COMPILE_RUNS" "$NAMES")
field() { sed -n "s/.*set=$1 .*$2=\([0-9.]*\).*/\1/p" <<<"$COMPILE"; }
C_MS=$(field builtin median_ms); C_PAT=$(field builtin patterns)
C_FULL=$(field builtin full_speed_ms)
CB_MS=$(field 'builtin+extra' median_ms); CB_PAT=$(field 'builtin+extra' patterns)

# --- report ------------------------------------------------------------------
mbps() { awk -v b="$BYTES" -v s="${SECS[$1]}" 'BEGIN {printf "%.1f", b / 1e6 / s}'; }
mb() { awk -v k="${RSS[$1]}" 'BEGIN {printf "%.1f", k / 1024}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }
row() { # key, label, terms, threads
    printf '%-36s %6s %4s %9s %9s %10s %9s\n' "$2" "$3" "$4" "${SECS[$1]}" "$(mbps "$1")" "$(mb "$1")" \
        "${SECS[${1}_start]:--}"
}
GIT_REV=$(git rev-parse --short HEAD 2>/dev/null || echo '?')
git diff --quiet HEAD -- src Cargo.toml rules 2>/dev/null || GIT_REV="$GIT_REV+dirty"
{
    echo "sanctions-check end-to-end benchmark, $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "machine: $(nproc) cores, $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | sed -n 1p); load avg at start $LOAD_START, at end $(cut -d' ' -f1-3 /proc/loadavg)"
    echo "code: $GIT_REV; $("$BIN" --version); $RG_VERSION ($RG)"
    echo "corpus: $DOCS: $FILES files, $BYTES bytes ($(awk -v b="$BYTES" 'BEGIN {printf "%.1f", b / 1e6}') MB), seed $SEED"
    echo "findings (bundled pack): $FINDINGS"
    echo "terms: pack $N_TERMS literal terms ($C_PAT automaton patterns); many-terms list $N_BIG ($CB_PAT patterns)"
    echo "best of $RUNS runs; MB = 10^6 bytes; RSS = peak over the runs;"
    echo "startup = seconds for a one-article folder (pattern compilation and start-up, included in seconds)"
    echo
    printf '%-36s %6s %4s %9s %9s %10s %9s\n' case terms thr seconds MB/s "RSS MB" startup
    row rg_1t "(a) rg -F -i -c, pack terms" "$N_TERMS" 1
    row sc_1t "(b) sanctions-check, pack" "$N_TERMS" 1
    row sc_2t "(c) sanctions-check, pack" "$N_TERMS" 2
    row rg_big "(d) rg -F -i -c, many terms" "$N_BIG" 1
    row sc_big "(e) sanctions-check, many terms" "$N_BIG" 1
    row rg_2t "    rg -F -i -c, pack terms" "$N_TERMS" 2
    row rg_cs "    rg -F -c (case-sensitive), pack" "$N_TERMS" 1
    echo
    echo "ratios (same run):"
    echo "  sanctions-check / rg time, pack terms, 1 thread:   $(ratio "${SECS[sc_1t]}" "${SECS[rg_1t]}")x"
    echo "  many-terms / pack-terms time, rg:                  $(ratio "${SECS[rg_big]}" "${SECS[rg_1t]}")x"
    echo "  many-terms / pack-terms time, sanctions-check:     $(ratio "${SECS[sc_big]}" "${SECS[sc_1t]}")x"
    echo "  2-thread speedup, sanctions-check:                 $(ratio "${SECS[sc_1t]}" "${SECS[sc_2t]}")x"
    echo "  2-thread speedup, rg:                              $(ratio "${SECS[rg_1t]}" "${SECS[rg_2t]}")x"
    echo "  CPU time (user+sys), sanctions-check, 2 / 1 thread: $(ratio "${CPU[sc_2t]}" "${CPU[sc_1t]}")x (${CPU[sc_2t]} s / ${CPU[sc_1t]} s; 1.00 = no parallel overhead, so a lower speedup means the second core was busy)"
    echo "  sanctions-check / rg time, case-sensitive rg:     $(ratio "${SECS[sc_1t]}" "${SECS[rg_cs]}")x"
    echo "(f) compile, median of $COMPILE_RUNS: builtin ${C_MS} ms (term DFA ready in the background at ${C_FULL} ms); builtin + $((N_BIG - N_TERMS)) names ${CB_MS} ms"
} | tee "$RESULTS"
say "report written to $RESULTS"
