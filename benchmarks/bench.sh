#!/usr/bin/env bash
# Runs benchmarks of the benchmarks module, building what they need first.
#   benchmarks/bench.sh nop|stat|read|tree|copy|latency|cost|all|suite [--quick] [--passes N]
#     nop     request overhead with 10k, 100k and 1M queued and through a group with limit 64, against
#             ThreadPoolExecutor, virtual threads, Vert.x executeBlocking and IO::AIO's aio_nop; bytes
#             retained per queued request
#     stat    stat of 100k cached files (10k with --quick) against Files.readAttributes peers
#             (sequential, ThreadPoolExecutor, virtual threads), Vert.x FileSystem.props and IO::AIO
#     read    random 4 KiB reads of a cached 1 GiB file (256 MiB with --quick) against FileChannel,
#             AsynchronousFileChannel, virtual threads, Vert.x AsyncFile, IO::AIO and fio; then uncached
#             (the file evicted before every variant) against FileChannel, IO::AIO, fio psync and io_uring
#     tree    du, copy and rmtree of a 100k-file tree (10k with --quick) against IO::AIO, du -s, cp -a,
#             rm -rf, a ForkJoinPool walker, virtual threads and Vert.x readDir + lprops (du), and the
#             kernel's floor under du in C (src/main/c/du-floor.c, built with cc when there is one)
#     copy    copies of a 100k small-file tree (10k with --quick) and of 8 large files, on tmpfs (/dev/shm:
#             CPU and syscalls only) and on the tmp dir's disk (sync and, as root, a cache drop before each
#             timed copy), against cp -a and a ForkJoinPool Files.copy copier; --only tmpfs|disk measures one
#             place (not part of all/suite)
#     latency round trip of one nop / stat (p50, p99), and a priority-4 request while 10k priority-0
#             requests wait, against ThreadPoolExecutors, virtual threads, Vert.x and IO::AIO
#     cost    threads and CPU time per 100k requests (nop, stat) against ThreadPoolExecutor, virtual
#             threads, Vert.x and IO::AIO
#     jail    stat of 100k cached files (10k with --quick) through a jail of their root (what AioTemplate with
#             aio.root does), and through a jail and an ordinary working directory of each file's directory,
#             against the same engine unjailed, per backend; then the kernel's floor in C
#             (src/main/c/jail-floor.c, built with cc when there is one) (not part of all/suite)
#     all     all of them, one after the other
#     suite   all of them, then BENCHMARKS.md at the root (machine, JDK, date, command, every table,
#             where aio loses) and SVG charts under benchmarks/results/; with --quick both go under
#             benchmarks/target/quick/ instead (the published ones stay). Budgets on 2 cores: under
#             10 minutes, under 2 with --quick. CI runs `suite --quick --passes 1`.
# --quick and --passes N apply to every workload; stat and read also take --verbose (each pass
# printed) and --threads 2,4,8 (aio's worker counts); every workload but nop takes --backend
# auto|nio|native (aio's syscall layer; auto measures the portable NIO layer too).
# Peers are measured in the same run: IO::AIO 4.8 through ../shared/bench/ioaio-bench.pl (and small
# perl programs of the harnesses for what the script lacks) and fio (libio-aio-perl and fio are
# installed when missing and this runs as root); the Java peers and Vert.x 5 in-process. A peer that
# cannot run is skipped with the reason printed and shows n/a.
set -euo pipefail
started=$(date +%s)
invoked="benchmarks/bench.sh $*"
cd "$(dirname "${BASH_SOURCE[0]}")/.."

usage="usage: $0 nop|stat|read|tree|copy|latency|cost|jail|all|suite [--quick] [--passes N]"
workload="${1:-}"
[ -n "$workload" ] || { echo "$usage" >&2; exit 2; }
shift

case "$workload" in
    nop) mains=(org.ioaio.bench.NopBench) ;;
    stat) mains=(org.ioaio.bench.StatBench) ;;
    read) mains=(org.ioaio.bench.ReadBench) ;;
    tree) mains=(org.ioaio.bench.TreeBench) ;;
    copy) mains=(org.ioaio.bench.CopyBench) ;;
    latency) mains=(org.ioaio.bench.LatencyBench) ;;
    cost) mains=(org.ioaio.bench.CostBench) ;;
    jail) mains=(org.ioaio.bench.JailBench) ;;
    all) mains=(org.ioaio.bench.NopBench org.ioaio.bench.StatBench org.ioaio.bench.ReadBench org.ioaio.bench.TreeBench
        org.ioaio.bench.LatencyBench org.ioaio.bench.CostBench) ;;
    suite) mains=(org.ioaio.bench.Suite) ;;
    *) echo "unknown workload: $workload (known: nop, stat, read, tree, copy, latency, cost, jail, all, suite)" >&2; echo "$usage" >&2; exit 2 ;;
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
# The peers' jars (Vert.x and Netty), as the build resolved them; without them Vert.x is n/a.
if [ -s benchmarks/target/classpath.txt ]; then
    cp="$cp:$(cat benchmarks/target/classpath.txt)"
else
    echo "no benchmarks/target/classpath.txt: the Vert.x peer will be n/a" >&2
fi
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
