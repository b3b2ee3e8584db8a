#!/usr/bin/env bash
# Fails when a translation is not complete for the sources as they are now: lupdate reads the sources
# into a copy of the .ts (so a string added without a translation counts), then every entry must be
# finished, not empty, and keep the source's %1, %2… placeholders.
#   scripts/check-translations.sh LUPDATE TS_FILE SOURCE_DIR...
set -euo pipefail
lupdate=$1
ts=$2
shift 2
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp "$ts" "$work/check.ts"
"$lupdate" -silent -no-obsolete -locations none "$@" -ts "$work/check.ts"
python3 - "$work/check.ts" "$ts" <<'PY'
import re, sys, xml.etree.ElementTree as ET

checked, original = sys.argv[1], sys.argv[2]
problems = []
for context in ET.parse(checked).getroot().iter("context"):
    name = context.findtext("name")
    for message in context.iter("message"):
        source = message.findtext("source") or ""
        translation = message.find("translation")
        forms = [form.text or "" for form in translation.iter("numerusform")] or [translation.text or ""]
        kind = translation.get("type")
        if kind in ("unfinished", "vanished", "obsolete"):
            problems.append(f"{name}: {kind}: {source!r}")
        elif any(not form.strip() for form in forms):
            problems.append(f"{name}: empty: {source!r}")
        else:
            wanted = sorted(set(re.findall(r"%\d", source)))
            for form in forms:
                if sorted(set(re.findall(r"%\d", form))) != wanted:
                    problems.append(f"{name}: placeholders differ: {source!r} -> {form!r}")
if problems:
    print(f"{original}: {len(problems)} entries to translate or fix "
          "(cmake --build build --target batchdeck_translations_lupdate, then translate):")
    print("\n".join(problems))
    sys.exit(1)
PY
