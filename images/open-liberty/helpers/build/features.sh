#!/bin/bash
# instanton-bench local base: `RUN features.sh`. The official kernel-slim images download the
# features server.xml names here; this base holds the full Open Liberty runtime, so the script
# checks that every named feature is part of it and fails the build naming any that is not.
set -eu
WLP=/opt/ol/wlp
CONFIG=/opt/ol/wlp/usr/servers/defaultServer
files=("$CONFIG/server.xml")
for d in "$CONFIG/configDropins/defaults" "$CONFIG/configDropins/overrides"; do
  [ -d "$d" ] && for f in "$d"/*.xml; do [ -f "$f" ] && files+=("$f"); done
done
known=$(grep -h '^IBM-ShortName:' "$WLP"/lib/features/*.mf | sed 's/^IBM-ShortName:[[:space:]]*//' | tr -d '\r' | tr 'A-Z' 'a-z')
missing=0
for f in "${files[@]}"; do
  [ -f "$f" ] || continue
  # <feature>name</feature>, comments removed.
  for feature in $(sed -e ':a' -e 'N' -e '$!ba' -e 's/<!--[^>]*-->//g' "$f" | grep -o '<feature>[^<]*</feature>' | sed -e 's/<[^>]*>//g' -e 's/[[:space:]]//g' | tr 'A-Z' 'a-z' | sed 's/^[^:]*://' | sort -u); do
    if printf '%s\n' "$known" | grep -qx -e "$feature" -e "$feature-[0-9.]*"; then
      echo "features.sh: $feature: in the runtime"
    else
      echo "features.sh: $(basename "$f"): feature $feature is not part of Open Liberty in this image" >&2
      missing=1
    fi
  done
done
if [ "$missing" -ne 0 ]; then
  echo "features.sh: check the feature names and versions in server.xml" >&2
  exit 1
fi
echo "features.sh: every feature server.xml names is installed"
