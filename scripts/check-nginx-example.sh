#!/bin/sh
# Checks docs/nginx-duban.conf with `nginx -t`: a throwaway prefix, a
# self-signed certificate, the proxy include written out from the comment
# at the end of the example. Needs nginx and openssl.
set -eu
here=$(cd "$(dirname "$0")/.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/tls" "$tmp/logs"
openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=duban.example.gov.cn \
    -keyout "$tmp/tls/duban.key" -out "$tmp/tls/duban.crt" 2>/dev/null
sed -n 's/^#   //p' "$here/docs/nginx-duban.conf" > "$tmp/duban-proxy.conf"
sed -e "s#/etc/nginx/tls/#$tmp/tls/#g" -e "s#/etc/nginx/duban-proxy.conf#$tmp/duban-proxy.conf#g" \
    "$here/docs/nginx-duban.conf" > "$tmp/duban.conf"
cat > "$tmp/nginx.conf" <<CONF
pid $tmp/nginx.pid;
error_log $tmp/logs/error.log;
events {}
http {
    access_log $tmp/logs/access.log;
    include $tmp/duban.conf;
}
CONF
nginx -t -p "$tmp" -c "$tmp/nginx.conf"
