# shellcheck shell=bash disable=SC2034 # SETUP_NICE, set by bg, is read by run_logged (common.sh)
# process.sh: how devcloud starts, watches and stops its daemons. Starts nothing by itself.
#   spawn NAME CMD...      each daemon in its own session; run/NAME.pid holds "PID STARTTIME"
#   alive NAME             the recorded PID still runs and is the same process (start time)
#   wait_until ...         polls a check, fails at once if the daemon it waits for died
#   restart_if_changed     a daemon started with another config hash (run/NAME.conf-hash) is
#                          stopped, so the caller's spawn starts it with the new config
#   bg / wait_bg           one service's setup and start in the background (cmd_start)
#   stop_names NAMES...    TERM to each process group, KILL after the grace period

# ---------------------------------------------------------------------------------------------
# Process bookkeeping: each daemon runs in its own session (setsid), so its PID is also its
# process-group id and stop can signal the daemon with all its children (uwsgi workers,
# privsep helpers, erlang ports) without touching anything devcloud did not start.
# ---------------------------------------------------------------------------------------------
proc_field() { # PID FIELDNO -> field of /proc/PID/stat (fields counted as in proc(5))
  local s
  s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
  s=${s##*) }            # drop "pid (comm) ", comm may contain spaces
  local a
  read -r -a a <<<"$s"
  echo "${a[$(($2 - 3))]}"
}

pid_of() { # NAME -> PID if the recorded process is still the one we started
  local f=$RUN/$1.pid pid st
  [[ -r $f ]] || return 1
  read -r pid st <"$f" || return 1
  [[ -n ${pid:-} && $(proc_field "$pid" 22 2>/dev/null) == "$st" ]] || return 1
  echo "$pid"
}
alive() { pid_of "$1" >/dev/null; }

port_busy() { (exec 3<>"/dev/tcp/$IP/$1") 2>/dev/null; }

spawn() { # NAME CMD... : start CMD detached with nohup, log to $LOG/NAME.log, record its PID
  local name=$1
  shift
  alive "$name" && return 0
  echo "===== $(date -Is) devcloud starts: $*" >>"$LOG/$name.log"
  # Not a job-control shell, so the child is not a group leader: setsid execs in place and $!
  # is the daemon's own PID (also its process group and session id).
  # Every descriptor but stdin/out/err is closed first: a daemon must not inherit (and so hold
  # for its whole life) devcloud's lock, nor one its caller holds, e.g. `flock cloud.lock devcloud start`.
  (
    for fd in /proc/self/fd/*; do
      fd=${fd##*/}
      if ((fd > 2)); then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec setsid nohup "$@" >>"$LOG/$name.log" 2>&1 </dev/null
  ) &
  local pid=$! st
  st=$(proc_field "$pid" 22) || { tail -n 20 "$LOG/$name.log" >&2; die "$name exited at once"; }
  echo "$pid $st" >"$RUN/$name.pid"
}

started_with() { # NAME HASH: remember the config hash a daemon was started with
  echo "$2" >"$RUN/$1.conf-hash"
}
config_changed() { # NAME HASH: the daemon runs with another config than HASH (or an unknown one)
  alive "$1" && [[ $(cat "$RUN/$1.conf-hash" 2>/dev/null) != "$2" ]]
}
restart_if_changed() { # NAME HASH: stop a running daemon whose config changed; the caller respawns it
  if config_changed "$1" "$2"; then
    say "$1: configuration changed, restarting it"
    stop_names "$1"
  fi
}

need_port_free() { # PORT NAME: fail clearly if a process devcloud did not start holds the port
  if ! alive "$2" && port_busy "$1"; then
    die "port $IP:$1 (for $2) is taken by a process devcloud did not start; stop it first"
  fi
}

wait_until() { # SECONDS DESCRIPTION DAEMON CMD...: poll CMD every 0.2 s; fail if DAEMON died
  local limit=$1 what=$2 daemon=$3
  shift 3
  local end=$((SECONDS + limit))
  until "$@" 2>/dev/null; do
    if [[ -n $daemon && -f $RUN/$daemon.pid ]] && ! alive "$daemon"; then
      tail -n 30 "$LOG/$daemon.log" >&2 || true
      die "$daemon died while waiting for $what (log: $LOG/$daemon.log)"
    fi
    ((SECONDS < end)) || die "timeout after ${limit}s waiting for $what"
    sleep 0.2
  done
}

bg_jobs=()
bg() { # NAME FUNCS...: run setup+start functions of one service in the background
  local name=$1
  shift
  (
    # The db_syncs here yield the CPU to keystone's, which is on the critical path (keystone,
    # then its catalog, then the nova services). Daemons are not started with this.
    SETUP_NICE="nice -n 10"
    local f
    for f in "$@"; do "$f"; done
    say "$name ready to serve (setup done, daemons started)"
  ) &
  bg_jobs+=("$!:$name")
}
wait_bg() {
  local j rc=0
  for j in "${bg_jobs[@]}"; do
    wait "${j%%:*}" || { echo "devcloud: setup of ${j#*:} failed" >&2; rc=1; }
  done
  bg_jobs=()
  return $rc
}

descendants() { # PID -> every descendant's PID (a child may have left the process group,
  # e.g. erlang's erl_child_setup calls setsid)
  ps -eo pid=,ppid= | awk -v root="$1" '{ parent[$1] = $2 }
    END { tree[root] = 1
          do { grew = 0
               for (p in parent) if (!(p in tree) && (parent[p] in tree)) { tree[p] = 1; grew = 1 }
          } while (grew)
          for (p in tree) if (p != root) print p }'
}

stop_names() { # NAMES...: TERM the process groups, wait, KILL the rest
  local n pid pids=() extra=() grace=${STOP_GRACE:-15}
  for n in "$@"; do
    pid=$(pid_of "$n") || { rm -f "$RUN/$n.pid"; continue; }
    pids+=("$pid:$n")
    local d
    for d in $(descendants "$pid"); do
      [[ $(proc_field "$d" 5) == "$pid" ]] || extra+=("$d:$(proc_field "$d" 22)")
    done
    # The PID is its own process group (setsid), so this reaches workers and helpers too.
    if [[ " ${LEADER_ONLY[*]} " == *" $n "* ]]; then kill -TERM "$pid" 2>/dev/null || true
    elif [[ $(proc_field "$pid" 5) == "$pid" ]]; then kill -TERM -- "-$pid" 2>/dev/null || true
    else kill -TERM "$pid" 2>/dev/null || true; fi
  done
  ((${#pids[@]})) || return 0
  local all=("${pids[@]}") end=$((SECONDS + grace)) left
  while :; do
    left=()
    for p in "${pids[@]}"; do
      pid=${p%%:*}
      if pgrep -g "$pid" >/dev/null || [[ -d /proc/$pid ]]; then left+=("$p")
      elif [[ -n ${DEVCLOUD_DEBUG:-} ]]; then echo "  ${p#*:} gone after $((SECONDS - end + grace)) s"; fi
    done
    pids=("${left[@]}")
    ((${#left[@]})) || break
    if ((SECONDS >= end)); then
      for p in "${left[@]}"; do
        echo "devcloud: ${p#*:} did not stop in ${grace}s: SIGKILL" >&2
        kill -KILL -- "-${p%%:*}" 2>/dev/null || kill -KILL "${p%%:*}" 2>/dev/null || true
      done
      sleep 0.5
      break
    fi
    sleep 0.2
  done
  # Children that had left the group normally exit with their parent; KILL any that did not
  # (only if still the same process: same start time).
  for p in "${extra[@]}"; do
    pid=${p%%:*}
    [[ $(proc_field "$pid" 22 2>/dev/null) == "${p#*:}" ]] && kill -KILL "$pid" 2>/dev/null || true
  done
  for p in "${all[@]}"; do rm -f "$RUN/${p#*:}.pid"; done
}
