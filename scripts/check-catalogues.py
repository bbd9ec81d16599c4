#!/usr/bin/env python3
"""Checks the message catalogues of bot/messages/po (run by ctest; `scripts/check-catalogues.py
[DIR]` checks another tree). It fails, naming the file, message and problem, when:
- a language of LINGUAS has no TAG.po, or msgfmt --check refuses a catalogue;
- a catalogue lacks a message of the first (en) catalogue, has one it lacks, or leaves one
  empty, or a plural message has other than the Plural-Forms' number of forms;
- a message's {placeholders} differ from the first catalogue's;
- a message key named in the C++ code (message_key NAME{"key"}, text(l, "key"), the names
  tables, help.<verb>) or in the console's pages (t('console.…'), data-text="console.…") is
  missing from the first catalogue."""
import pathlib, re, subprocess, sys

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
po_dir = root / "bot/messages/po"
problems = []


def unquote(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s[1:-1])


def read_po(path):
    """{msgid: [forms]} and the header's nplurals, from the simple .po form msgfmt accepts."""
    entries, current, field = {}, None, None
    def finish():
        if current and current.get("msgid"):
            entries[current["msgid"]] = [current[k] for k in sorted(current) if k.startswith("msgstr")]
    header = ""
    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = line.strip()
        if not line or line.startswith("#"):
            if current is not None and current.get("msgid") == "":
                header = current.get("msgstr", "")
            finish(); current, field = None, None
            continue
        m = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+(".*")$', line)
        if m:
            current = current if current is not None else {}
            field = m.group(1)
            current[field] = unquote(m.group(2))
        elif line.startswith('"') and current is not None and field:
            current[field] += unquote(line)
    plural = re.search(r"nplurals=(\d+)", header)
    return entries, int(plural.group(1)) if plural else 1


def placeholders(forms):
    return set().union(*(set(re.findall(r"\{(\w+)\}", f)) for f in forms))


tags = [line.split()[0] for line in (po_dir / "LINGUAS").read_text().splitlines()
        if line.strip() and not line.startswith("#")]
catalogues = {}
for tag in tags:
    path = po_dir / f"{tag}.po"
    if not path.exists():
        problems.append(f"{path}: missing (it is listed in LINGUAS)")
        continue
    check = subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(path)], capture_output=True, text=True)
    if check.returncode != 0:
        problems.append(f"{path}: msgfmt --check fails:\n{check.stderr.strip()}")
    catalogues[tag] = read_po(path)

if catalogues and tags[0] in catalogues:
    reference, _ = catalogues[tags[0]]
    for tag, (entries, nplurals) in catalogues.items():
        name = f"{tag}.po"
        for key in sorted(set(reference) - set(entries)):
            problems.append(f"{name}: message {key} is missing")
        for key in sorted(set(entries) - set(reference)):
            problems.append(f"{name}: message {key} is not in {tags[0]}.po")
        for key, forms in entries.items():
            if any(f == "" for f in forms):
                problems.append(f"{name}: message {key} is empty")
            if len(forms) > 1 and len(forms) != nplurals:
                problems.append(f"{name}: message {key} has {len(forms)} plural forms, Plural-Forms says {nplurals}")
            if key in reference and placeholders(forms) != placeholders(reference[key]):
                problems.append(f"{name}: message {key} has placeholders {sorted(placeholders(forms))}, "
                                f"{tags[0]}.po has {sorted(placeholders(reference[key]))}")

    code_keys = set()
    for source in (root / "bot/messages").glob("*.cpp"):
        text = source.read_text(encoding="utf-8")
        code_keys |= set(re.findall(r'message_key\s+\w+\{"([^"]+)"\}', text))
        code_keys |= set(re.findall(r'\btext(?:_n)?\(l, "([^"]+[^."])"', text))
    names = (root / "bot/messages/names.cpp").read_text(encoding="utf-8")
    for table, prefixes in [("kinds", ["kind.", "kind_in_sentence."]), ("statuses", ["status."]),
                            ("step_statuses", ["step."]), ("events", ["event."])]:
        body = re.search(r"\b" + table + r"\{(.*?)\};", names, re.S)
        for word in re.findall(r'"(\w+)"', body.group(1) if body else ""):
            code_keys |= {p + word for p in prefixes}
    verbs = re.search(r"enum class verb \{([^}]*)\}", (root / "bot/core/command_words.hpp").read_text())
    code_keys |= {"help." + v.strip() for v in verbs.group(1).split(",")}
    # The console's pages: t('console.…') and data-text="console.…" (keys built at run time,
    # like `console.decide.${action}`, are not seen here).
    for page in (root / "bot/console/static").glob("*.*"):
        text = page.read_text(encoding="utf-8")
        code_keys |= set(re.findall(r"""\bt\('(console\.[\w.]+)'""", text))
        code_keys |= set(re.findall(r'data-text="(console\.[\w.]+)"', text))
    for key in sorted(code_keys - set(reference)):
        problems.append(f"{tags[0]}.po: message {key}, which the code names, is missing")

for p in problems:
    print("check-catalogues:", p)
sys.exit(1 if problems else 0)
