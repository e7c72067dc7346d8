#!/bin/sh
# Builds the one-folder program into dist/township-desk and reports its size.
set -e
cd "$(dirname "$0")/.."
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller build_spec/township_desk.spec
size=$(du -sm dist/township-desk | cut -f1)
echo "已生成 dist/township-desk（${size} MB），运行 dist/township-desk/township-desk"
