#!/usr/bin/env bash
# Renders the first two pages of the sample bulletin (crates/office/
# examples/bulletin.rs), side by side, to docs/bulletin-sample.png, to check
# by eye that the .docx writer's layout reads as an official document: red
# 版头 and rule, centred title, body on the grid, tables.
#
# Needs LibreOffice Writer, a CJK font and poppler (Debian:
#   apt-get install libreoffice-writer fonts-noto-cjk poppler-utils
# ). Not part of CI: LibreOffice is too heavy for every run.
#
# Usage: scripts/render-bulletin.sh [OUT.png]
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-docs/bulletin-sample.png}"

for tool in libreoffice pdftoppm; do
  command -v "$tool" >/dev/null || { echo "缺少 $tool，见脚本开头的安装说明" >&2; exit 1; }
done

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

cargo run --quiet -p duban-office --example bulletin -- "$tmp/bulletin.docx" >/dev/null

# The official faces (方正小标宋简体, 仿宋_GB2312, 黑体, 楷体_GB2312, 宋体)
# are Windows fonts; map them to the Noto CJK faces so the rendering keeps
# serif text and sans-serif headings instead of whatever the default is.
cat >"$tmp/fonts.conf" <<'EOF'
<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <alias binding="same"><family>方正小标宋简体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>仿宋_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>楷体_GB2312</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>宋体</family><prefer><family>Noto Serif CJK SC</family></prefer></alias>
  <alias binding="same"><family>黑体</family><prefer><family>Noto Sans CJK SC</family></prefer></alias>
</fontconfig>
EOF

# A private profile so a running LibreOffice (or a stale lock) does not
# swallow the conversion.
FONTCONFIG_FILE="$tmp/fonts.conf" libreoffice --headless \
  "-env:UserInstallation=file://$tmp/profile" \
  --convert-to pdf --outdir "$tmp" "$tmp/bulletin.docx" >/dev/null 2>&1
[ -s "$tmp/bulletin.pdf" ] || { echo "LibreOffice 未能生成 PDF" >&2; exit 1; }

mkdir -p "$(dirname "$out")"
# Pages 1 and 2 side by side: the first has the 版头 and title, the second
# the tables. pdftoppm renders each page; a few lines of standard-library
# Python join them into one PNG (no ImageMagick needed). Without python3,
# the first page alone.
pdftoppm -png -r 80 -singlefile -f 1 -l 1 "$tmp/bulletin.pdf" "$tmp/page1"
if command -v python3 >/dev/null && [ "$(pdfinfo "$tmp/bulletin.pdf" | awk '/^Pages:/ {print $2}')" -ge 2 ]; then
  pdftoppm -r 80 -singlefile -f 1 -l 1 "$tmp/bulletin.pdf" "$tmp/p1"
  pdftoppm -r 80 -singlefile -f 2 -l 2 "$tmp/bulletin.pdf" "$tmp/p2"
  python3 - "$out" "$tmp/p1.ppm" "$tmp/p2.ppm" <<'PY'
import struct, sys, zlib

def read_ppm(path):
    # Binary PPM (P6): four whitespace-separated header fields, then RGB.
    data = open(path, 'rb').read()
    fields, i = [], 0
    while len(fields) < 4:
        while data[i:i + 1].isspace():
            i += 1
        j = i
        while not data[j:j + 1].isspace():
            j += 1
        fields.append(data[i:j])
        i = j
    w, h = int(fields[1]), int(fields[2])
    return w, h, data[i + 1:i + 1 + w * h * 3]

pages = [read_ppm(p) for p in sys.argv[2:]]
gap = 16
width = sum(w for w, _, _ in pages) + gap * (len(pages) - 1)
height = max(h for _, h, _ in pages)
rows = []
for y in range(height):
    row = bytearray(b'\x00')  # PNG filter: none
    for k, (w, h, px) in enumerate(pages):
        if k:
            row += b'\xcc' * 3 * gap
        row += px[y * w * 3:(y + 1) * w * 3] if y < h else b'\xff' * 3 * w
    rows.append(bytes(row))

def chunk(kind, data):
    return (struct.pack('>I', len(data)) + kind + data
            + struct.pack('>I', zlib.crc32(kind + data) & 0xffffffff))

with open(sys.argv[1], 'wb') as f:
    f.write(b'\x89PNG\r\n\x1a\n'
            + chunk(b'IHDR', struct.pack('>IIBBBBB', width, height, 8, 2, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(b''.join(rows), 9))
            + chunk(b'IEND', b''))
PY
else
  cp "$tmp/page1.png" "$out"
fi
if [ -n "${KEEP_PDF:-}" ]; then cp "$tmp/bulletin.pdf" "$KEEP_PDF"; fi
echo "已生成 $out"
