#!/usr/bin/env bash
# Starts (or stops) a three-node Redis Cluster on this machine's loopback, for trying the
# sharded DNC layout and Redis Cluster by hand (docs/operations.md, Redis layouts):
#
#   tools/local-redis-cluster.sh start [BASE_PORT=7001]   # nodes on BASE_PORT..BASE_PORT+2
#   SWITCHBOARD_REDIS_URL=redis://127.0.0.1:7001,redis://127.0.0.1:7002,redis://127.0.0.1:7003 \
#     ./switchboard serve
#   tools/local-redis-cluster.sh stop-node 7002            # one node down: its numbers fail closed
#   tools/local-redis-cluster.sh stop [BASE_PORT=7001]
#
# Needs redis-server and redis-cli (Debian: apt-get install redis-server). The nodes keep
# nothing on disk beyond their cluster files, in ${TMPDIR:-/tmp}/switchboard-redis-cluster.
set -euo pipefail

dir="${TMPDIR:-/tmp}/switchboard-redis-cluster"
cmd="${1:-}"
base="${2:-7001}"

die() { echo "local-redis-cluster: $*" >&2; exit 1; }
for tool in redis-server redis-cli; do
  command -v "$tool" >/dev/null || die "$tool is not on PATH (Debian: apt-get install redis-server)"
done

case "$cmd" in
  start)
    mkdir -p "$dir"
    nodes=()
    for port in "$base" $((base + 1)) $((base + 2)); do
      rm -f "$dir/nodes-$port.conf"
      redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --dir "$dir" \
        --cluster-enabled yes --cluster-config-file "nodes-$port.conf" --cluster-node-timeout 2000 \
        --set-max-intset-entries 10000 --save "" --appendonly no \
        --pidfile "$dir/redis-$port.pid" --logfile "$dir/redis-$port.log"
      nodes+=("127.0.0.1:$port")
    done
    for node in "${nodes[@]}"; do
      for _ in $(seq 50); do redis-cli -h 127.0.0.1 -p "${node#*:}" ping >/dev/null 2>&1 && break; sleep 0.1; done
    done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 0 --cluster-yes >/dev/null
    for _ in $(seq 100); do
      redis-cli -p "$base" cluster info | grep -q 'cluster_state:ok' && break
      sleep 0.1
    done
    redis-cli -p "$base" cluster info | grep -q 'cluster_state:ok' || die "the cluster did not form; see $dir/*.log"
    echo "SWITCHBOARD_REDIS_URL=redis://127.0.0.1:$base,redis://127.0.0.1:$((base + 1)),redis://127.0.0.1:$((base + 2))"
    ;;
  stop-node)
    redis-cli -p "$base" shutdown nosave >/dev/null 2>&1 || true
    ;;
  stop)
    for port in "$base" $((base + 1)) $((base + 2)); do
      redis-cli -p "$port" shutdown nosave >/dev/null 2>&1 || true
      rm -f "$dir/nodes-$port.conf"
    done
    ;;
  *)
    sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'
    exit 2
    ;;
esac
