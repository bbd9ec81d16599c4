#!/usr/bin/env python3
"""Fails, naming file and line, when text a person reads is written in C++ instead of the
catalogues (bot/messages/po). Run by scripts/test.sh; `scripts/check-texts.py DIR` checks
another tree. In the code of bot/, adapters/, config/ and store/ (comments left out):

1. no `phrase` triples, the form texts had before the catalogues;
2. no string literal holding a letter beyond ASCII (any script: 草, ह, ą), except in the files
   of ALLOWED, which hold words the bot reads rather than says;
3. in the folders that compose messages (MESSAGE_CODE), no string literal holding two English
   words in a row ("Approved by"), except on a line that throws or logs (for operators).
Symbols and emoji (📝, …, ·, →) are not words and may stay in code."""
import pathlib, re, sys, unicodedata

root = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else pathlib.Path(__file__).resolve().parent.parent)
FOLDERS = ["bot", "adapters", "config", "store"]
ALLOWED = {  # file: why it may hold letters beyond ASCII
    "bot/core/command_words.cpp": "the words the commands answer to",
    "bot/chat/commands.cpp": "the grammar's own words (至, 到 before a date; 。 、 after an id)",
    "adapters/sms.cpp": "the GSM 03.38 alphabet",
}
MESSAGE_CODE = ["bot/messages/", "adapters/sms_channel.cpp"]
literal = re.compile(r'(?:u8|u|U|L)?"(?:[^"\\\n]|\\.)*"')
english = re.compile(r"[A-Za-z]{2,} [A-Za-z]{2,}")
for_operators = re.compile(r"\bthrow\b|\blog::|_error\(|invalid_argument\(")


def code_of(line):
    """The line without a // comment (one outside string literals)."""
    out, i = [], 0
    while i < len(line):
        m = literal.match(line, i)
        if m:
            out.append(m.group(0)); i = m.end(); continue
        if line.startswith("//", i): break
        out.append(line[i]); i += 1
    return "".join(out)


def has_letter_beyond_ascii(s):
    return any(ord(c) > 127 and unicodedata.category(c)[0] in "LM" for c in s)


problems = []
for folder in FOLDERS:
    for path in sorted((root / folder).rglob("*")):
        if path.suffix not in (".cpp", ".hpp"): continue
        name = path.relative_to(root).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = code_of(line)
            if re.search(r"\bphrase\s*\{|\bconstexpr\s+phrase\b", code):
                problems.append(f"{name}:{number}: a phrase triple; texts belong in bot/messages/po/*.po")
            for m in literal.finditer(code):
                if name not in ALLOWED and has_letter_beyond_ascii(m.group(0)):
                    problems.append(f"{name}:{number}: {m.group(0)} holds words; put the text in the catalogues")
                elif any(name.startswith(p) for p in MESSAGE_CODE) and english.search(m.group(0)) \
                        and not for_operators.search(code):
                    problems.append(f"{name}:{number}: {m.group(0)} reads as English text; put it in the catalogues")
for p in problems:
    print("check-texts:", p)
sys.exit(1 if problems else 0)
