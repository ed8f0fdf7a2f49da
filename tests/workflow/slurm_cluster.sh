#!/usr/bin/env bash
# One-node Slurm cluster for workflow tests, run from a private folder without systemd or accounting.
#   slurm_cluster.sh start DIR   writes munge key, slurm.conf, starts munged, slurmctld, slurmd; prints the
#                                environment to export: SLURM_CONF and SLURM_TEST_PARTITION
#                                (eval "$(slurm_cluster.sh start DIR)"); DIR is created if missing
#   slurm_cluster.sh stop DIR    cancels this cluster's jobs and stops exactly the daemons recorded in DIR/pids
# SLURM_CLUSTER_WAIT_S (default 60) bounds every wait. Callers should run stop from an EXIT trap.
set -euo pipefail

me=slurm_cluster.sh
wait_s=${SLURM_CLUSTER_WAIT_S:-60}
partition=debug

die() { echo "$me: $*" >&2; exit 1; }
say() { echo "$me: $*" >&2; }

# True when PID is alive and its command line mentions DIR, so a reused pid is never signalled.
ours() {
  local pid=$1 dir=$2 cmd
  [ -r "/proc/$pid/cmdline" ] || return 1
  cmd=$(tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null) || return 1
  [[ $cmd == *"$dir/"* ]]
}

show_logs() {
  local dir=$1 f
  for f in "$dir"/munge/munged.log "$dir"/slurmctld.log "$dir"/slurmd.log; do
    [ -s "$f" ] || continue
    echo "----- last lines of $f" >&2
    tail -n 25 "$f" >&2
  done
}

# TCP ports that something listens on (IPv4 and IPv6), from /proc so no tool is needed.
listening_ports() {
  local _sl addr _rem st _rest
  cat /proc/net/tcp /proc/net/tcp6 2>/dev/null | while read -r _sl addr _rem st _rest; do
    if [ "$st" = 0A ]; then echo $((16#${addr##*:})); fi
  done | sort -un
}

# Two free ports below the usual ephemeral range (32768+), so they cannot collide with srun's own sockets.
pick_ports() {
  local used p tries=0 picked=()
  used=" $(listening_ports | tr '\n' ' ') "
  while ((${#picked[@]} < 2)); do
    ((tries++ < 200)) || die "expected two free TCP ports in 20000-32000, found none; free some ports and retry"
    p=$((20000 + RANDOM % 12000))
    [[ $used == *" $p "* || " ${picked[*]:-} " == *" $p "* ]] || picked+=("$p")
  done
  echo "${picked[@]}"
}

stop_cluster() {
  local dir=$1 name pid left
  [ -f "$dir/pids" ] || { say "nothing to stop in $dir (no pids file)"; return 0; }
  # Jobs outlive slurmd (slurmstepd runs on its own): cancel them while slurmctld still answers.
  if grep -q '^slurmctld ' "$dir/pids" && [ -f "$dir/slurm.conf" ]; then
    SLURM_CONF=$dir/slurm.conf timeout 10 scancel --user="$(id -un)" 2>/dev/null || true
    for _ in $(seq 20); do
      [ -z "$(SLURM_CONF=$dir/slurm.conf timeout 5 squeue -h -t RUNNING,COMPLETING,CONFIGURING 2>/dev/null)" ] && break
      sleep 0.5
    done
  fi
  # slurmd first, munged last: slurmctld still needs munge while it shuts down.
  for name in slurmd slurmctld munged; do
    pid=$(awk -v n="$name" '$1 == n { print $2 }' "$dir/pids")
    [ -n "$pid" ] || continue
    ours "$pid" "$dir" || continue
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq $((wait_s * 5))); do
      ours "$pid" "$dir" || break
      sleep 0.2
    done
    if ours "$pid" "$dir"; then
      say "$name (pid $pid) still running ${wait_s}s after SIGTERM; sending SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
  done
  left=""
  while read -r name pid; do ours "$pid" "$dir" && left+=" $name($pid)"; done <"$dir/pids"
  [ -z "$left" ] || die "expected the daemons of $dir to have exited, found still running:$left; kill them by pid"
  rm -f "$dir/pids"
}

# Waits up to wait_s for FILE to hold a pid whose process belongs to DIR; prints the pid.
wait_pid_file() {
  local file=$1 dir=$2 pid
  for _ in $(seq $((wait_s * 5))); do
    pid=$(cat "$file" 2>/dev/null || true)
    if [ -n "$pid" ] && ours "$pid" "$dir"; then echo "$pid"; return 0; fi
    sleep 0.2
  done
  return 1
}

start_cluster() {
  local dir=$1 node user cpus mem_kb mem_mb ctld_port d_port p pid state
  for p in munged mungekey slurmctld slurmd sinfo scontrol squeue scancel; do
    command -v "$p" >/dev/null || die "expected $p on PATH, found none; run scripts/install-deps (munge, slurm-wlm, slurm-client)"
  done
  [[ $dir != *[[:space:]#]* ]] || die "expected DIR without blanks or '#' (slurm.conf cannot quote them), found '$dir'; use mktemp -d"
  mkdir -p "$dir" 2>/dev/null || die "expected DIR to be a folder that can be created, found '$dir'; pass a folder under mktemp -d"
  dir=$(cd "$dir" && pwd -P)
  if [ -f "$dir/pids" ]; then
    while read -r _ pid; do
      ours "$pid" "$dir" && die "expected no cluster running from $dir, found pid $pid; run '$0 stop $dir' first"
    done <"$dir/pids"
    rm -f "$dir/pids"
  fi

  node=$(hostname -s)
  user=$(id -un)
  cpus=$(nproc)
  mem_kb=$(awk '/^MemTotal:/ { print $2 }' /proc/meminfo)
  # 10% below the total, so slurmd never finds less memory than configured and drains the node.
  mem_mb=$((mem_kb * 9 / 10 / 1024))
  read -r ctld_port d_port < <(pick_ports)

  # munged wants its socket reachable by all users (x on every parent folder); mktemp's 0700 folders are not,
  # and this cluster is private to one user, so --force below turns that check into a warning.
  mkdir -p "$dir/munge" "$dir/ctld" "$dir/slurmd"
  chmod 0711 "$dir/munge"
  rm -f "$dir/munge/munge.key"
  mungekey --create --keyfile="$dir/munge/munge.key" >/dev/null 2>&1 ||
    dd if=/dev/urandom of="$dir/munge/munge.key" bs=1024 count=1 status=none
  chmod 0600 "$dir/munge/munge.key"

  cat >"$dir/slurm.conf" <<EOF
# Generated by tests/workflow/slurm_cluster.sh for a throwaway one-node cluster.
ClusterName=osgantest
SlurmctldHost=$node(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$ctld_port
SlurmdPort=$d_port
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/ctld
SlurmdSpoolDir=$dir/slurmd
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
# No systemd, no cgroup delegation: track processes through /proc and bind nothing.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MailProg=/bin/true
MpiDefault=none
SwitchType=switch/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
# Without accounting, finished jobs stay visible to scontrol (and snakemake's status check) only this long.
MinJobAge=600
ReturnToService=2
# Trust the CPUs/RealMemory below rather than draining the node when the hardware differs (containers).
SlurmdParameters=config_overrides
# Jobs that ask for no memory would otherwise take the whole node and run one at a time.
DefMemPerCPU=256
NodeName=$node NodeAddr=127.0.0.1 NodeHostname=$node CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=$partition Nodes=$node Default=YES MaxTime=INFINITE State=UP
EOF

  : >"$dir/pids"
  # On any failure from here on, print the logs and stop what was started.
  trap 'rc=$?; if ((rc)); then show_logs "$dir"; stop_cluster "$dir" >/dev/null 2>&1 || true; fi' EXIT

  munged --force --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --pid-file="$dir/munge/munged.pid" --log-file="$dir/munge/munged.log" \
    --seed-file="$dir/munge/munged.seed" ||
    die "expected munged to start, it exited with $?; see the log below"
  pid=$(wait_pid_file "$dir/munge/munged.pid" "$dir") ||
    die "expected munged's pid in $dir/munge/munged.pid within ${wait_s}s, found none"
  echo "munged $pid" >>"$dir/pids"

  slurmctld -f "$dir/slurm.conf" || die "expected slurmctld to start, it exited with $?; see the log below"
  pid=$(wait_pid_file "$dir/slurmctld.pid" "$dir") ||
    die "expected slurmctld's pid in $dir/slurmctld.pid within ${wait_s}s, found none"
  echo "slurmctld $pid" >>"$dir/pids"

  slurmd -f "$dir/slurm.conf" -N "$node" || die "expected slurmd to start, it exited with $?; see the log below"
  pid=$(wait_pid_file "$dir/slurmd.pid" "$dir") ||
    die "expected slurmd's pid in $dir/slurmd.pid within ${wait_s}s, found none"
  echo "slurmd $pid" >>"$dir/pids"

  state=""
  for _ in $(seq $((wait_s * 2))); do
    state=$(SLURM_CONF=$dir/slurm.conf timeout 5 sinfo -h -N -n "$node" -o %t 2>/dev/null || true)
    [ "$state" = idle ] && break
    while read -r p pid; do
      ours "$pid" "$dir" || die "expected $p (pid $pid) to keep running, found it exited; see the log below"
    done <"$dir/pids"
    sleep 0.5
  done
  [ "$state" = idle ] ||
    die "expected node $node idle within ${wait_s}s, found state '${state:-no answer}'; see the logs below"
  trap - EXIT
  say "node $node idle (partition $partition, $cpus CPUs, ${mem_mb} MB, ports $ctld_port/$d_port)"
  echo "export SLURM_CONF=$dir/slurm.conf"
  echo "export SLURM_TEST_PARTITION=$partition"
}

(($# == 2)) || die "expected 'start DIR' or 'stop DIR', found '$*'"
[ -n "$2" ] || die "expected a folder, found an empty argument"
dir=$(cd "$2" 2>/dev/null && pwd -P) || dir=$2
case $1 in
  start) start_cluster "$dir" ;;
  stop) stop_cluster "$dir" ;;
  *) die "expected subcommand start or stop, found '$1'" ;;
esac
