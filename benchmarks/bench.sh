#!/usr/bin/env bash
# Runs one benchmark of the benchmarks module, building what it needs first.
#   benchmarks/bench.sh nop [--quick] [--passes N]
# Peers are measured in the same run: IO::AIO 4.8 through ../shared/bench/ioaio-bench.pl
# (libio-aio-perl is installed when missing and this runs as root), ThreadPoolExecutor in-process.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

workload="${1:-}"
[ -n "$workload" ] || { echo "usage: $0 nop [--quick] [--passes N]" >&2; exit 2; }
shift

if [ -z "${JAVA_HOME:-}" ] && [ -x /usr/lib/jvm/temurin-25-jdk-amd64/bin/java ]; then
    export JAVA_HOME=/usr/lib/jvm/temurin-25-jdk-amd64
fi
if ! perl -MIO::AIO -e 1 2>/dev/null && [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null; then
    echo "installing libio-aio-perl (IO::AIO 4.8, the peer)" >&2
    { apt-get update -q && apt-get install -y -q --no-install-recommends libio-aio-perl; } >&2 \
        || echo "could not install libio-aio-perl: IO::AIO figures will be n/a" >&2
fi

./mvnw -B -ntp -q -pl benchmarks -am package -DskipTests
cp="benchmarks/target/benchmarks-0.1.0-SNAPSHOT.jar:aio-engine/target/aio-engine-0.1.0-SNAPSHOT.jar"
shared="../shared/bench"

case "$workload" in
    nop) main=org.ioaio.bench.NopBench ;;
    *) echo "unknown workload: $workload (known: nop)" >&2; exit 2 ;;
esac
exec "$JAVA_HOME/bin/java" -Xms4g -Xmx4g -cp "$cp" "$main" --shared-bench "$shared" "$@"
