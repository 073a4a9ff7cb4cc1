#!/usr/bin/env bash
# Runs benchmarks of the benchmarks module, building what they need first.
#   benchmarks/bench.sh nop|stat|read|tree|all [--quick] [--passes N]
#     nop   request overhead against ThreadPoolExecutor and IO::AIO's aio_nop
#     stat  stat of 100k cached files (10k with --quick) against Files.readAttributes peers and IO::AIO
#     read  random 4 KiB reads of a cached 1 GiB file (256 MiB with --quick) against FileChannel,
#           IO::AIO and fio
#     tree  du, copy and rmtree of a 100k-file tree (10k with --quick) against IO::AIO, du -s,
#           cp -a, rm -rf and a ForkJoinPool walker
#     all   all of them, one after the other
#     suite all of them, then BENCHMARKS.md at the root (machine, JDK, date, command, every table,
#           where aio loses) and one SVG chart per workload under benchmarks/results/; with
#           --quick both go under benchmarks/target/quick/ instead (the published ones stay)
# --quick and --passes N apply to every workload; stat and read also take --verbose (each pass
# printed), --threads 2,4,8 (aio's worker counts) and --backend auto|nio|native (aio's syscall layer).
# Peers are measured in the same run: IO::AIO 4.8 through ../shared/bench/ioaio-bench.pl and fio
# (libio-aio-perl and fio are installed when missing and this runs as root), the plain-Java peers
# in-process. A peer that cannot run is skipped with the reason printed.
set -euo pipefail
started=$(date +%s)
invoked="benchmarks/bench.sh $*"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage="usage: $0 nop|stat|read|tree|all|suite [--quick] [--passes N]"
workload="${1:-}"
[ -n "$workload" ] || { echo "$usage" >&2; exit 2; }
shift

case "$workload" in
    nop) mains=(org.ioaio.bench.NopBench) ;;
    stat) mains=(org.ioaio.bench.StatBench) ;;
    read) mains=(org.ioaio.bench.ReadBench) ;;
    tree) mains=(org.ioaio.bench.TreeBench) ;;
    all) mains=(org.ioaio.bench.NopBench org.ioaio.bench.StatBench org.ioaio.bench.ReadBench org.ioaio.bench.TreeBench) ;;
    suite) mains=(org.ioaio.bench.Suite) ;;
    *) echo "unknown workload: $workload (known: nop, stat, read, tree, all, suite)" >&2; echo "$usage" >&2; exit 2 ;;
esac

if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi

# Debian packages of the peers this workload runs, when missing.
missing=()
if ! perl -MIO::AIO -e 1 2>/dev/null; then
    missing+=(libio-aio-perl)
fi
if [ "$workload" = read ] || [ "$workload" = all ] || [ "$workload" = suite ]; then
    command -v fio >/dev/null 2>&1 || missing+=(fio)
fi
if [ "${#missing[@]}" -gt 0 ]; then
    if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
        echo "installing ${missing[*]} (the peers: IO::AIO 4.8, fio)" >&2
        { apt-get update -q && apt-get install -y -q --no-install-recommends "${missing[@]}"; } >&2 \
            || echo "could not install ${missing[*]}: those peers' figures will be n/a" >&2
    else
        echo "missing ${missing[*]} and cannot install (not root or no apt-get): those peers' figures will be n/a" >&2
    fi
fi

./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
cp="benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:aio-engine/target/aio-engine-0.1.0-SNAPSHOT.jar"
shared="../shared/bench"
jvm=(-Xms4g -Xmx4g)
# The engine probes its native backend through FFM on JDK 22+: allow it without the JDK's warning.
if "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -version >/dev/null 2>&1; then
    jvm+=(--enable-native-access=ALL-UNNAMED)
fi

if [ "$workload" = suite ]; then
    exec "$JAVA_HOME/bin/java" "${jvm[@]}" -cp "$cp" org.ioaio.bench.Suite --shared-bench "$shared" \
        --command "$invoked" --started "$started" "$@"
fi
if [ "${#mains[@]}" -eq 1 ]; then
    exec "$JAVA_HOME/bin/java" "${jvm[@]}" -cp "$cp" "${mains[0]}" --shared-bench "$shared" "$@"
fi
for main in "${mains[@]}"; do
    echo
    echo "## ${main##*.}"
    "$JAVA_HOME/bin/java" "${jvm[@]}" -cp "$cp" "$main" --shared-bench "$shared" "$@"
done
