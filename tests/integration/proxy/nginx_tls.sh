#!/bin/sh
# nginx_tls.sh SERVER FREEPORT SOURCE_DIR: the shipped nginx site
# (content-server/nginx/infotaulu.conf) in front of the real server, on
# loopback ports with a self-signed certificate made here by openssl:
#  - a sign-in over HTTPS gets a Secure cookie and exactly one
#    Strict-Transport-Security header (the server's; nginx adds none);
#  - plain HTTP is sent to HTTPS;
#  - the server saw the client through the proxy's X-Forwarded-For and
#    X-Forwarded-Proto (it trusts 127.0.0.1 as its proxy, and its own
#    loopback listen would otherwise leave cookies plain);
#  - /metrics is for this machine only, and a body over 9 MiB stops at
#    nginx.
set -u
srv=$1
freeport=$2
src=$3
dir=${TAULU_TEST_TMP:-/tmp}/nginx_tls.$$
srv_pid=
nginx_pid=
fail() {
    echo "FAIL: $*" >&2
    for f in "$dir/server.log" "$dir/nginx-error.log" "$dir/headers"; do
        [ -f "$f" ] && { echo "--- $f" >&2; tail -n 30 "$f" >&2; }
    done
    exit 1
}
cleanup() {
    [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid"
    [ -n "$srv_pid" ] && kill "$srv_pid" 2>/dev/null && wait "$srv_pid"
    rm -rf "$dir"
}
trap cleanup EXIT
for tool in nginx openssl curl; do
    command -v "$tool" >/dev/null ||
        [ -x "/usr/sbin/$tool" ] ||
        fail "$tool is missing (scripts/debian-packages.txt lists it)"
done
nginx=$(command -v nginx || echo /usr/sbin/nginx)
rm -rf "$dir"
mkdir -p "$dir/tmp" || exit 1

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes \
    -days 1 -subj /CN=localhost -keyout "$dir/key.pem" -out "$dir/cert.pem" \
    >/dev/null 2>&1 || fail "openssl could not make a certificate"

pw=vahva-salasana-123
printf '%s\n' "$pw" | "$srv" --db "$dir/taulu.db" \
    --create-coordinator anna@example.fi --name Anna >/dev/null 2>&1 ||
    fail "cannot create the account"
"$srv" --db "$dir/taulu.db" --listen 127.0.0.1 --port 0 \
    --port-file "$dir/port" --trusted-proxy 127.0.0.1 \
    >"$dir/server.log" 2>&1 &
srv_pid=$!
i=0
while [ ! -s "$dir/port" ] && [ $i -lt 100 ]; do
    sleep 0.05
    i=$((i + 1))
done
[ -s "$dir/port" ] || fail "the server did not start"
srv_port=$(cat "$dir/port")
tls_port=$("$freeport") || fail "no free port"
http_port=$("$freeport") || fail "no free port"

# The shipped site, with this test's ports, name and certificate.
sed -e "s|127.0.0.1:8080|127.0.0.1:$srv_port|" \
    -e "s|listen 443 |listen 127.0.0.1:$tls_port |" \
    -e "s|listen 80;|listen 127.0.0.1:$http_port;|" \
    -e "/listen \[::\]/d" \
    -e "s|infotaulu.example.fi|localhost|" \
    -e "s|/etc/ssl/certs/infotaulu.pem|$dir/cert.pem|" \
    -e "s|/etc/ssl/private/infotaulu.key|$dir/key.pem|" \
    "$src/content-server/nginx/infotaulu.conf" >"$dir/site.conf"
grep -q "127.0.0.1:$tls_port" "$dir/site.conf" || fail "the site's listen changed"
{
    [ "$(id -u)" = 0 ] && echo "user root;"
    cat <<EOF
worker_processes 1;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 64; }
http {
    access_log off;
    client_body_temp_path $dir/tmp/body;
    proxy_temp_path $dir/tmp/proxy;
    fastcgi_temp_path $dir/tmp/fastcgi;
    uwsgi_temp_path $dir/tmp/uwsgi;
    scgi_temp_path $dir/tmp/scgi;
    include $dir/site.conf;
}
EOF
} >"$dir/nginx.conf"
"$nginx" -t -p "$dir" -c "$dir/nginx.conf" >"$dir/nginx-test.log" 2>&1 ||
    { cat "$dir/nginx-test.log" >&2; fail "nginx -t refused the site"; }
"$nginx" -p "$dir" -c "$dir/nginx.conf" -g "daemon off;" \
    2>>"$dir/nginx-error.log" &
nginx_pid=$!
i=0
until curl -sk -o /dev/null "https://127.0.0.1:$tls_port/healthz"; do
    i=$((i + 1))
    [ $i -lt 100 ] || fail "nginx did not start"
    sleep 0.05
done

# A sign-in over HTTPS.
status=$(curl -sk -o "$dir/body" -D "$dir/headers" -w '%{http_code}' \
    -H 'Content-Type: application/json' \
    -d "{\"email\":\"anna@example.fi\",\"password\":\"$pw\"}" \
    "https://127.0.0.1:$tls_port/api/v1/login")
[ "$status" = 200 ] || fail "login over https: $status"
grep -i '^set-cookie: taulu_session=' "$dir/headers" | grep -q '; Secure' ||
    fail "the session cookie is not Secure"
[ "$(grep -ci '^strict-transport-security: max-age=' "$dir/headers")" = 1 ] ||
    fail "not exactly one Strict-Transport-Security header"

# Straight to the server (no proxy, loopback): neither.
curl -s -o /dev/null -D "$dir/direct" -H 'Content-Type: application/json' \
    -d "{\"email\":\"anna@example.fi\",\"password\":\"$pw\"}" \
    "http://127.0.0.1:$srv_port/api/v1/login"
grep -i '^set-cookie:' "$dir/direct" | grep -q 'Secure' &&
    fail "a plain-http cookie was Secure"

# Plain HTTP is sent to HTTPS.
loc=$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' \
    "http://127.0.0.1:$http_port/api/v1/me")
case $loc in
"301 https://"*) ;;
*) fail "http answered: $loc" ;;
esac

# /metrics from this machine only; a body over 9 MiB stops at nginx.
status=$(curl -sk -o /dev/null -w '%{http_code}' \
    "https://127.0.0.1:$tls_port/metrics")
[ "$status" = 200 ] || fail "/metrics from loopback: $status"
head -c 10000000 /dev/zero >"$dir/big"
status=$(curl -sk -o /dev/null -w '%{http_code}' -H 'Expect:' \
    -H 'Content-Type: image/png' --data-binary "@$dir/big" \
    "https://127.0.0.1:$tls_port/api/v1/images")
[ "$status" = 413 ] || fail "a 10 MB body through nginx: $status"
echo "ok: Secure cookie and one HSTS header through nginx $("$nginx" -v 2>&1 | sed 's|.*/||')"
