#!/usr/bin/env bash
# Test of the Debian package build: scripts/package.sh packages the rasai binary under test; the
# package must hold the binary, the fonts the pages name, the guide and the service; its
# dependencies come from dpkg-shlibdeps; `systemd-analyze verify` passes on the unit; and the
# unit's ExecStart, run from the unpacked package with the unit's environment, starts on an empty
# index folder and serves the fonts from the package's /usr/share/rasai/fonts.
# (scripts/package-boot-check.sh installs the package in Debian 12 and boots it with systemd.)
# Env: RASAI (the rasai binary), RASAI_SOURCE (repo root). Exit 77 = skipped.
set -euo pipefail

: "${RASAI:?set RASAI to the rasai binary}"
RASAI_SOURCE="${RASAI_SOURCE:-$(cd "$(dirname "$0")/../.." && pwd)}"
for tool in dpkg-deb dpkg-shlibdeps curl python3; do
  command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
# (ldd's output read whole: grep -q leaving early would fail the pipe under pipefail)
if ldd "$RASAI" 2>/dev/null | grep -E 'libasan|libubsan' >/dev/null; then echo "SKIP: $RASAI is a sanitizer build"; exit 77; fi
FONTS="$RASAI_SOURCE/web/node_modules/@fontsource/noto-nastaliq-urdu/files"
[ -d "$FONTS" ] || { echo "SKIP: $FONTS missing (run: cd web && npm ci)"; exit 77; }

. "$RASAI_SOURCE/tests/e2e/http_lib.sh"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/rasai-package-test.XXXXXX")
SERVER_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT
FAIL=0
ok() { echo "ok   $*"; }
bad() { echo "FAIL $*"; FAIL=$((FAIL + 1)); }
check() { if eval "$2"; then ok "$1"; else bad "$1"; fi; }

echo "# scripts/package.sh --binary $RASAI"
"$RASAI_SOURCE/scripts/package.sh" --binary "$RASAI" --out "$TMP/dist" >"$TMP/package.out" 2>&1 ||
  { cat "$TMP/package.out"; echo "FAIL scripts/package.sh"; exit 1; }
DEB=$(tail -n1 "$TMP/package.out")
VERSION=$(sed -n 's/^project(rasai VERSION \([0-9.]*\).*/\1/p' "$RASAI_SOURCE/CMakeLists.txt")
check "named dist/rasai_<version>_<arch>.deb ($(basename "$DEB"))" \
  "[ '$DEB' = '$TMP/dist/rasai_${VERSION}_$(dpkg --print-architecture).deb' ] && [ -f '$DEB' ]"

dpkg-deb -c "$DEB" | awk '{print $NF}' | sed 's|^\./|/|' >"$TMP/contents"
for f in /usr/bin/rasai /lib/systemd/system/rasai.service /etc/default/rasai /usr/share/doc/rasai/copyright \
         /usr/share/doc/rasai/guide/operator-guide.en.md /usr/share/doc/rasai/guide/operator-guide.ur.md; do
  check "holds $f" "grep -qx '$f' '$TMP/contents'"
done
named=$(cat "$RASAI_SOURCE"/web/static/*.css | grep -o 'url(/fonts/[^)]*)' | sed 's|url(/fonts/||; s|)$||' | sort -u)
for font in $named; do
  check "holds the font the pages name: /usr/share/rasai/fonts/$font" "grep -qx '/usr/share/rasai/fonts/$font' '$TMP/contents'"
done

dpkg-deb -f "$DEB" Depends >"$TMP/depends"
echo "     Depends: $(cat "$TMP/depends")"
for lib in libicu libzstd1 libmicrohttpd libgumbo libstemmer libc6 adduser; do
  check "Depends names $lib" "grep -q '$lib' '$TMP/depends'"
done
mkdir "$TMP/control"
dpkg-deb -e "$DEB" "$TMP/control"
check "/etc/default/rasai is a conffile" "grep -qx /etc/default/rasai '$TMP/control/conffiles'"
for s in postinst prerm postrm; do
  check "$s is an executable shell script" "[ -x '$TMP/control/$s' ] && sh -n '$TMP/control/$s'"
done

ROOT="$TMP/root"
dpkg-deb -x "$DEB" "$ROOT"
UNIT="$ROOT/lib/systemd/system/rasai.service"
for line in User=rasai StateDirectory=rasai ProtectSystem=strict NoNewPrivileges=yes PrivateTmp=yes \
            Restart=always WantedBy=multi-user.target 'EnvironmentFile=-/etc/default/rasai' \
            'LoadCredential=operator-token:/etc/rasai/operator-token'; do
  check "the unit says $line" "grep -qxF '$line' '$UNIT'"
done
if command -v systemd-analyze >/dev/null; then
  # verify wants the units the service refers to (sysinit.target, ...) under the same root.
  cp -an /lib/systemd/system/. "$ROOT/lib/systemd/system/" 2>/dev/null || true
  status=0
  systemd-analyze --root="$ROOT" verify rasai.service >"$TMP/verify.out" 2>&1 || status=$?
  check "systemd-analyze verify rasai.service: exit 0, no complaint" "[ $status = 0 ] && [ ! -s '$TMP/verify.out' ]"
  [ -s "$TMP/verify.out" ] && sed 's/^/     /' "$TMP/verify.out"
else
  echo "note: systemd-analyze is not installed: the unit is not verified here"
fi

echo "# the unit's ExecStart, from the unpacked package, with the unit's environment"
# Environment= then /etc/default/rasai (EnvironmentFile overrides), as systemd reads them.
ENVS=$(sed -n 's/^Environment=//p' "$UNIT")
set -a
eval "$ENVS"
. "$ROOT/etc/default/rasai"
set +a
check "the default settings: index /var/lib/rasai/index, listen 0.0.0.0:8080" \
  "[ '$RASAI_INDEX' = /var/lib/rasai/index ] && [ '$RASAI_LISTEN' = 0.0.0.0:8080 ]"
EXEC=$(sed -n 's/^ExecStart=//p' "$UNIT")
# Rooted in $ROOT, on a free port; %d is the credentials folder systemd would fill from the token.
mkdir -p "$TMP/credentials"
TOKEN="package-test-$RANDOM$RANDOM"
printf '%s\n' "$TOKEN" >"$TMP/credentials/operator-token"
chmod 600 "$TMP/credentials/operator-token"
RASAI_INDEX="$ROOT$RASAI_INDEX"
RASAI_LISTEN=127.0.0.1:0
cmd=${EXEC//%d/$TMP/credentials}
cmd=${cmd/\/usr\/bin\/rasai/$ROOT/usr/bin/rasai}
cmd=$(eval "echo \"$cmd\"")  # ${RASAI_INDEX} and ${RASAI_LISTEN}, as systemd expands them
echo "     $cmd"
# A marker appended to one installed font shows that the server reads the package's folder.
font=$(echo "$named" | grep woff2 | head -n1)
printf 'rasai-package-test-marker' >>"$ROOT/usr/share/rasai/fonts/$font"
env -u RASAI_WEB_FONTS $cmd >"$TMP/serve.out" 2>"$TMP/serve.err" &
SERVER_PID=$!
rasai_url "$TMP/serve.out" "$SERVER_PID" 120 || true
[ -n "$URL" ] || { cat "$TMP/serve.out" "$TMP/serve.err"; echo "FAIL the unit's ExecStart did not start"; exit 1; }
check "it creates the empty index and says so" "grep -q 'no index in $RASAI_INDEX: created an empty one' '$TMP/serve.out'"
check "/healthz: 0 documents" \
  "curl -fsS '${URL}healthz' | python3 -c 'import json,sys; sys.exit(json.load(sys.stdin)[\"docs\"] != 0)'"
check "the fonts come from the package's /usr/share/rasai/fonts" \
  "curl -fsS '${URL}fonts/$font' | tail -c 25 | grep rasai-package-test-marker >/dev/null"
code=$(curl -sS -o "$TMP/post.json" -w '%{http_code}' -X POST -H "Authorization: Bearer $TOKEN" \
  --data-binary '{"id":"pkg-1","title":"Package test","body":"served from the unpacked package"}' "${URL}api/docs")
check "the token from the credentials file lets the operator add a document ($code)" "[ '$code' = 200 ]"

[ "$FAIL" = 0 ] && echo "all passed" || echo "$FAIL failed"
exit $((FAIL > 0))
