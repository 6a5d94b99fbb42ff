#!/usr/bin/env bash
# Installs the Debian package in a fresh Debian 12 system and boots it, to show what a center's box
# does: the package installs with apt (its dependencies resolved from Debian), `systemd-analyze
# verify` passes on the unit, systemd starts `rasai serve` at boot as the user rasai on an empty
# /var/lib/rasai, a document posted with the operator token is served, and after a power cut (the
# container killed with SIGKILL, no shutdown) the next boot serves it again with nobody touching
# anything.
#
# Usage: sudo scripts/package-boot-check.sh DEB [WORKDIR]
#   DEB      the package (scripts/package.sh)
#   WORKDIR  where the Debian 12 tree is kept (default /var/tmp/rasai-boot-check); the first run
#            makes it with debootstrap from deb.debian.org (network needed), later runs reuse it.
# Needs root, debootstrap and systemd-container (systemd-nspawn). Not part of CI: it needs the
# network and a kernel that lets systemd-nspawn boot a container. Prints each check as ok/FAIL
# and what it saw; exit 0 when all passed, 1 otherwise, 2 usage.
set -euo pipefail

[ $# -ge 1 ] && [ $# -le 2 ] || { sed -n '2,17p' "$0"; exit 2; }
DEB=$(realpath "$1")
WORKDIR=${2:-/var/tmp/rasai-boot-check}
[ -f "$DEB" ] || { echo "boot-check: no package $DEB" >&2; exit 2; }
[ "$(id -u)" = 0 ] || { echo "boot-check: run as root" >&2; exit 2; }
for tool in debootstrap systemd-nspawn; do
  command -v "$tool" >/dev/null || { echo "boot-check: $tool missing (apt-get install debootstrap systemd-container)" >&2; exit 2; }
done

BASE="$WORKDIR/bookworm"
if [ ! -x "$BASE/lib/systemd/systemd" ]; then
  echo "# debootstrap Debian 12 into $BASE"
  rm -rf "$BASE"
  debootstrap --variant=minbase --include=systemd,systemd-sysv,dbus,curl,ca-certificates \
    bookworm "$BASE" http://deb.debian.org/debian >"$WORKDIR.debootstrap.log" 2>&1 ||
    { tail -20 "$WORKDIR.debootstrap.log"; echo "boot-check: debootstrap failed" >&2; exit 1; }
fi
ROOT="$WORKDIR/root"
OUT="$WORKDIR/out"
rm -rf "$ROOT" "$OUT"
cp -a "$BASE" "$ROOT"
mkdir -p "$OUT"
cp "$DEB" "$ROOT/var/tmp/rasai.deb"

FAIL=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAIL=$((FAIL + 1)); }
# systemd-nspawn, without the notice some hosts print when it leaves ("Attempted to remove disk
# file system under /run/systemd/nspawn/propagate/...").
nspawn() {
  systemd-nspawn -q --keep-unit --register=no -D "$ROOT" "$@" 2> >(grep -v 'nspawn/propagate' >&2)
}

echo "# install the package (apt resolves its dependencies from Debian)"
if nspawn --pipe sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq /var/tmp/rasai.deb' \
    >"$OUT/install.log" 2>&1; then
  ok "apt-get install rasai.deb"
else
  tail -20 "$OUT/install.log"; bad "apt-get install rasai.deb"; exit 1
fi
grep -E '^(Setting up rasai|rasai:)' "$OUT/install.log" | sed 's/^/     /'
nspawn --pipe sh -c 'systemd-analyze verify rasai.service' >"$OUT/verify.log" 2>&1 && [ ! -s "$OUT/verify.log" ] &&
  ok "systemd-analyze verify rasai.service: no complaint" || { bad "systemd-analyze verify"; cat "$OUT/verify.log"; }
[ -L "$ROOT/etc/systemd/system/multi-user.target.wants/rasai.service" ] &&
  ok "the service is enabled (multi-user.target.wants)" || bad "the service is not enabled"
[ ! -e "$ROOT/var/lib/rasai" ] && ok "/var/lib/rasai does not exist before the first boot" ||
  echo "     note: /var/lib/rasai exists before the first boot: $(ls -A "$ROOT/var/lib/rasai" | tr '\n' ' ')"

# The probe: a unit that runs after boot, records what it sees in /probe and powers off (or, with
# /probe/hold, waits there so that the host can cut the power).
mkdir -p "$ROOT/etc/systemd/system/multi-user.target.wants"
cat >"$ROOT/usr/local/sbin/rasai-probe" <<'PROBE'
#!/bin/sh
# Records the state of rasai.service after boot into /probe/<boot>.*
b=$(cat /probe/boot)
exec >"/probe/$b.log" 2>&1
i=0
until curl -fsS -o /dev/null http://127.0.0.1:8080/healthz; do
  i=$((i + 1)); [ $i -gt 120 ] && { echo "no answer on :8080 after 60 s"; break; }; sleep 0.5
done
echo "seconds until /healthz answered: $((i / 2))"
systemctl show rasai.service -p ActiveState -p SubState -p MainPID -p NRestarts -p UnitFileState >"/probe/$b.show"
pid=$(systemctl show rasai.service -p MainPID --value)
echo "main process $pid, user $(stat -c %U /proc/$pid), command: $(tr '\0' ' ' </proc/$pid/cmdline)"
grep -E '^(NoNewPrivs|CapEff|CapBnd)' /proc/$pid/status
curl -fsS http://127.0.0.1:8080/healthz >"/probe/$b.healthz"; echo >>"/probe/$b.healthz"
curl -fsS -G http://127.0.0.1:8080/api/search --data-urlencode 'q=بجلی' >"/probe/$b.search"
curl -fsS -o /dev/null -w '%{http_code} %{content_type} %{size_download}\n' \
  http://127.0.0.1:8080/fonts/noto-nastaliq-urdu-arabic-400-normal.woff2 >"/probe/$b.font"
stat -c '%A %U:%G %n' /etc/rasai/operator-token /var/lib/rasai /var/lib/rasai/index >"/probe/$b.stat"
ls -A /var/lib/rasai/index >"/probe/$b.index"
journalctl -b -u rasai.service --no-pager -o cat >"/probe/$b.journal"
systemd-analyze security rasai.service --no-pager >"/probe/$b.security" 2>&1 || true
if [ -f /probe/post ]; then
  curl -sS -X POST -H "Authorization: Bearer $(cat /etc/rasai/operator-token)" \
    --data-binary @/probe/post http://127.0.0.1:8080/api/docs >"/probe/$b.post"; echo >>"/probe/$b.post"
fi
if [ -f /probe/hold ]; then touch "/probe/$b.holding"; sleep 600; fi
systemctl poweroff
PROBE
chmod 0755 "$ROOT/usr/local/sbin/rasai-probe"
cat >"$ROOT/etc/systemd/system/rasai-probe.service" <<'UNIT'
[Unit]
Description=Records the state of rasai.service (scripts/package-boot-check.sh)
After=rasai.service
[Service]
Type=oneshot
ExecStart=/usr/local/sbin/rasai-probe
[Install]
WantedBy=multi-user.target
UNIT
ln -sf ../rasai-probe.service "$ROOT/etc/systemd/system/multi-user.target.wants/rasai-probe.service"

# The container's PID 1 (its systemd): the child of systemd-nspawn whose pid inside is 1.
container_init() {
  local child
  for child in $(ps -o pid= --ppid "$1"); do
    grep -qE '^NSpid:.*[[:space:]]1$' "/proc/$child/status" 2>/dev/null && { echo "$child"; return 0; }
  done
  return 1
}

boot() {  # boot NAME [cut]: boots the container (its own network: only its loopback) until the
          # probe powers it off; with cut, until the probe has recorded what it saw, then SIGKILL
          # to the container's PID 1, which kills every process in it at once: the power cut
  local name="$1" cut="${2:-}"
  echo "$name" >"$OUT/boot"
  rm -f "$OUT/hold"; [ -n "$cut" ] && touch "$OUT/hold"
  timeout 240 systemd-nspawn -q --keep-unit --register=no --private-network -D "$ROOT" --bind="$OUT:/probe" \
    --boot >"$OUT/$name.console" 2>&1 &
  local pid=$! i=0 init=""
  if [ -n "$cut" ]; then
    until [ -f "$OUT/$name.holding" ]; do
      i=$((i + 1)); [ $i -gt 360 ] && break; sleep 0.5
    done
    init=$(container_init "$(ps -o pid= --ppid "$pid" | head -n1)" || container_init "$pid" || true)
    if [ -n "$init" ]; then
      kill -KILL "$init"
      echo "     power cut: SIGKILL to the container's PID 1 (host pid $init): no shutdown, no stop of rasai"
    else
      bad "no container init found under systemd-nspawn $pid"
    fi
  fi
  wait "$pid" || true
}
json_has() {  # json_has FILE EXPR: EXPR (Python, over the parsed file as j) holds
  python3 -c 'import json,sys
try: sys.exit(0 if eval(sys.argv[2], {"j": json.load(open(sys.argv[1]))}) else 1)
except Exception: sys.exit(1)' "$@"
}

echo "# first boot: an empty /var/lib/rasai"
printf '%s\n' '{"id":"power-1","title":"بجلی کی بندش کا نیا شیڈول","body":"شہر میں بجلی کی بندش کا نیا شیڈول جاری کر دیا گیا۔","lang":"ur"}' >"$OUT/post"
boot first cut
sed 's/^/     /' "$OUT/first.log"
grep -q 'ActiveState=active' "$OUT/first.show" && grep -q 'SubState=running' "$OUT/first.show" &&
  ok "rasai.service active (running) after boot" || bad "rasai.service not running: $(tr '\n' ' ' <"$OUT/first.show")"
grep -q 'user rasai, command: /usr/bin/rasai serve --index /var/lib/rasai/index --listen 0.0.0.0:8080 --token-file /run/credentials/rasai.service/operator-token' "$OUT/first.log" &&
  ok "systemd runs /usr/bin/rasai serve as the user rasai with the token from its credentials" || bad "unexpected main process"
grep -q 'no index in /var/lib/rasai/index: created an empty one' "$OUT/first.journal" &&
  ok "the journal says the empty index was created" || bad "no 'created an empty one' in the journal"
json_has "$OUT/first.healthz" "j['status'] == 'ok' and j['docs'] == 0" &&
  ok "/healthz: $(cat "$OUT/first.healthz")" || bad "/healthz: $(cat "$OUT/first.healthz")"
grep -q '^200 font/woff2' "$OUT/first.font" && ok "fonts served from /usr/share/rasai/fonts: $(cat "$OUT/first.font")" ||
  bad "font: $(cat "$OUT/first.font")"
json_has "$OUT/first.post" "j['added'] == 1" && ok "POST /api/docs with the token from /etc/rasai/operator-token: $(cat "$OUT/first.post")" ||
  bad "POST: $(cat "$OUT/first.post")"
sed 's/^/     /' "$OUT/first.stat"
grep -q '^-rw------- root:root /etc/rasai/operator-token' "$OUT/first.stat" && ok "the token file is root's alone (0600)" ||
  bad "token file mode"
grep -E 'Overall exposure' "$OUT/first.security" | sed 's/^/     systemd-analyze security: /'

echo "# second boot, after the power cut"
boot second
sed 's/^/     /' "$OUT/second.log"
grep -q 'SubState=running' "$OUT/second.show" && ok "rasai.service running again after the power cut" || bad "not running after the power cut"
json_has "$OUT/second.healthz" "j['docs'] == 1" && ok "/healthz: $(cat "$OUT/second.healthz")" || bad "/healthz: $(cat "$OUT/second.healthz")"
json_has "$OUT/second.search" "[h['id'] for h in j['hits']] == ['power-1']" &&
  ok "the document posted before the cut is found" || bad "search after the cut: $(head -c 300 "$OUT/second.search")"
! grep -q 'created an empty one' "$OUT/second.journal" && ok "the index was opened, not created again" || bad "created again"
nspawn --pipe /usr/bin/rasai check --index /var/lib/rasai/index >"$OUT/check.log" 2>&1 &&
  ok "rasai check: $(cat "$OUT/check.log")" || bad "rasai check: $(cat "$OUT/check.log")"

echo "# records in $OUT"
[ "$FAIL" = 0 ] && echo "all passed" || echo "$FAIL failed"
exit $((FAIL > 0))
