"""Checks of a hand-made cast fixed by `director edit --scrub --trim`
(tests/e2e/handmade.sh): RAW is what asciinema recorded, CLEAN what director
wrote. Screens are avt's (examples/avt_rows.rs), after every event.

python3 handmade.py AVT_ROWS RAW CLEAN USER HOST HOME PORT

Prints `ok: …` or `FAILED: …` for each check; exits 1 if one failed.
  identity  no user, host or home in CLEAN's bytes, header or any frame;
            no title or path sequence; the header's start time and
            environment (but TERM and SHELL) gone
  trim      RAW's first key seconds in; CLEAN starts with the prompt drawn
            again and its first key 0.5 s in; no `exit` typed on any frame
  picture   CLEAN's last frame is RAW's just before the first `exit` (the
            replacements apart), tmux's layout whole, the demo's lines there
"""

import json
import re
import subprocess
import sys

avt_rows, raw_path, clean_path, user, host, home, port = sys.argv[1:]
failed = []


def report(name, problems, ok_text):
    if problems:
        failed.append(name)
        for p in problems[:12]:
            print(f"FAILED: handmade {name}: {p}")
        if len(problems) > 12:
            print(f"FAILED: handmade {name}: … and {len(problems) - 12} more")
    else:
        print(f"ok: handmade {name}: {ok_text}")


def read(path):
    lines = [l for l in open(path, encoding="utf-8").read().splitlines() if l.strip()]
    header = json.loads(lines[0])
    events = [json.loads(l) for l in lines[1:]]
    return header, [e for e in events if e[1] == "o"]


def frames(path, times):
    """avt's rows after every output event with a time ≤ t, for each t."""
    got = subprocess.run([avt_rows, path, *map(repr, times)], check=True, capture_output=True, text=True)
    data = json.loads(got.stdout)
    width = data["cols"]
    return [[r.ljust(width) for r in f["rows"]] for f in data["frames"]]


raw_header, raw = read(raw_path)
clean_header, clean = read(clean_path)
raw_times = [e[0] for e in raw]
clean_times = [e[0] for e in clean]
raw_frames = frames(raw_path, raw_times)
clean_frames = frames(clean_path, clean_times)
width, height = raw_header["width"], raw_header["height"]
DIVIDER = 50  # tmux's split of 100 columns: panes 0-49 and 51-99


def word(value):
    return re.compile(r"(?<![\w-])" + re.escape(value) + r"(?![\w-])", re.I)


def fit(stand_in, n):
    """A stand-in cut or repeated to n characters, as the scrub makes it:
    the layout tmux made was made for the names' lengths."""
    return (stand_in * (n // len(stand_in) + 1))[:n]


USER, HOST = fit("director", len(user)), fit("demo", len(host))


def replaced(text):
    """RAW's text as the scrub should show it."""
    text = text.replace(home, fit("/home/director", len(home)))
    return word(host).sub(HOST, word(user).sub(USER, text))


def panes(rows):
    """The two panes' text (a row that fills its pane goes on in the next)
    and the status line, blanks collapsed."""
    out = []
    for a, b in ((0, DIVIDER), (DIVIDER + 1, width)):
        text = ""
        for row in rows[: height - 1]:
            seg = row[a:b]
            text += seg if seg[-1] != " " else seg.rstrip() + "\n"
        out.append(text.rstrip("\n"))
    out.append(" ".join(rows[height - 1].split()))
    return out


def segments(rows):
    return [seg for row in rows[: height - 1] for seg in (row[:DIVIDER], row[DIVIDER + 1 :])] + [rows[-1]]


privates = [user, host, home]
osc = re.compile(r"\x1b\](0|1|2|6|7|9|52|777|1337);")
exit_typed = re.compile(r"[#$] +(e|ex|exi|exit|l|lo|log|logo|logou|logout)\s*$")
# One key's echo: a printable character, maybe with cursor moves.
csi = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|[\x08\r]")


def first_key(events):
    for i, (t, _, data) in enumerate(events):
        rest = csi.sub("", data)
        if len(rest) == 1 and rest.isprintable() and rest != " ":
            return i
    return None


# The recording itself: what the edit has to take out is there.
problems = []
raw_bytes = open(raw_path, "rb").read().decode("utf-8").lower()
raw_out = "".join(e[2] for e in raw)
for v in privates:
    if v.lower() not in raw_bytes:
        problems.append(f"raw.cast never shows {v!r}")
if not any(f"{user}@{host}" in r for f in raw_frames for r in f):
    problems.append(f"no frame of raw.cast shows {user}@{host}")
for n in ("0", "7"):
    if f"\x1b]{n};" not in raw_out:
        problems.append(f"raw.cast has no OSC {n}")
if "timestamp" not in raw_header or set(raw_header.get("env", {})) <= {"TERM", "SHELL"}:
    problems.append(f"raw.cast's header has no start time or no identity: {raw_header}")
raw_exits = [i for i, f in enumerate(raw_frames) if any(exit_typed.search(s) for s in segments(f))]
if not raw_exits:
    problems.append("no frame of raw.cast shows `exit` typed")
report("recording", problems, f"raw.cast: {len(raw)} events, {raw_times[-1]:.1f} s, {user}@{host} and {home} on screen, titles, OSC 7, exits typed")
if problems:
    sys.exit(1)

# (1) No identity left, in the bytes or on any frame.
problems = []
clean_bytes = open(clean_path, "rb").read().decode("utf-8")
decoded = json.dumps(clean_header) + "".join(e[2] for e in clean)
for v in privates:
    for what, text in (("clean.cast's bytes", clean_bytes), ("its decoded header and output", decoded)):
        if v.lower() in text.lower():
            at = text.lower().index(v.lower())
            problems.append(f"{v!r} in {what}: {text[max(0, at - 40) : at + 40]!r}")
for m in osc.finditer(decoded):
    problems.append(f"OSC {m[1]} left: {decoded[m.start() : m.start() + 60]!r}")
if "timestamp" in clean_header:
    problems.append(f"the header keeps its start time: {clean_header}")
if not set(clean_header.get("env", {})) <= {"TERM", "SHELL"}:
    problems.append(f"the header's env: {clean_header['env']}")
for t, f in zip(clean_times, clean_frames):
    for text in f + panes(f):
        for v in privates:
            if v.lower() in text.lower():
                problems.append(f"{v!r} on screen at {t:.3f} s: {text.strip()!r}")
report("identity", problems, f"no {user}, {host} or {home} in clean.cast's bytes or on its {len(clean_frames)} frames; no title or path sequence; header {sorted(clean_header)}, env {sorted(clean_header.get('env', {}))}")

# (2) The start-up and the exits gone.
problems = []
rk, ck = first_key(raw), first_key(clean)
if rk is None or ck is None:
    problems.append(f"no typed key found: raw {rk}, clean {ck}")
else:
    if raw_times[rk] < 1.5:
        problems.append(f"raw.cast's first key at {raw_times[rk]:.3f} s: no start-up to trim")
    if raw[rk][2] != clean[ck][2]:
        problems.append(f"first key: raw {raw[rk][2]!r}, clean {clean[ck][2]!r}")
    if clean_times[0] > 0.05:
        problems.append(f"clean.cast's first output at {clean_times[0]:.3f} s")
    if not 0.45 <= clean_times[ck] <= 0.55:
        problems.append(f"clean.cast's first key at {clean_times[ck]:.3f} s, not 0.5 s in")
    # The first picture: both prompts, as RAW showed them at the cut.
    first = panes(clean_frames[0])
    for n, side in enumerate(("left", "right")):
        if not first[n].startswith(f"{USER}@{HOST}:~#"):
            problems.append(f"clean.cast's first picture: the {side} pane shows {first[n]!r}, not the prompt")
    cut_at = raw_times[rk] - (clean_times[ck] - clean_times[0])
    before = [i for i, t in enumerate(raw_times) if t <= cut_at]
    want = [replaced(p) for p in panes(raw_frames[before[-1]] if before else [" " * width] * height)]
    if first != want:
        problems.append(f"clean.cast's first picture {first} is not raw.cast's at {cut_at:.3f} s: {want}")
for t, f in zip(clean_times, clean_frames):
    for s in segments(f):
        if exit_typed.search(s):
            problems.append(f"`exit` typed on screen at {t:.3f} s: {s.strip()!r}")
report("trim", problems, f"raw.cast's first key at {raw_times[rk]:.3f} s, clean.cast's at {clean_times[ck]:.3f} s after the prompt redrawn at {clean_times[0]:.3f} s; no frame of {len(clean_frames)} shows an `exit` typed")

# (3) The final picture: RAW's just before the first `exit`, the replacements apart.
problems = []
last = clean_frames[-1]
want = [replaced(p) for p in panes(raw_frames[raw_exits[0] - 1])]
got = panes(last)
for what, w, g in zip(("left pane", "right pane", "status line"), want, got):
    if w != g:
        problems.append(f"{what}: {g!r}, raw.cast before the exits (replaced): {w!r}")
for r in range(height - 1):
    if last[r][DIVIDER] != "│":
        problems.append(f"tmux's divider gone from row {r + 1}: {last[r].rstrip()!r}")
if not last[-1].startswith("[tcp] "):
    problems.append(f"the status line is not on the last row: {last[-1].rstrip()!r}")
demo = {
    0: [f"Server listening on 127.0.0.1:{port}", "Connected by 127.0.0.1:", "Received: Hello, server!",
        "Connection open. Waiting...", "Closing connection.", f"{USER}@{HOST}:~/tcp#"],
    1: ["Connected to server.", "Message sent.", "Received: Hello, client!", "Connection closed.", f"{USER}@{HOST}:~#"],
}
for n, lines in demo.items():
    pane = [l.strip() for l in got[n].splitlines()]
    for line in lines:
        if not any(l.startswith(line) for l in pane):
            problems.append(f"{('left', 'right')[n]} pane without {line!r}")
    if not pane or not pane[-1].startswith(lines[-1]):
        problems.append(f"{('left', 'right')[n]} pane does not end with the prompt: {pane[-1:]}")
report("picture", problems, f"clean.cast's last frame ({clean_times[-1]:.3f} s) is raw.cast's at {raw_times[raw_exits[0] - 1]:.3f} s, before the first `exit`, with {USER}@{HOST}; both panes show the demo")

sys.exit(1 if failed else 0)
