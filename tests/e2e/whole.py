"""Every cell of every frame: what a player shows after each event of a
cast against director's own picture of that frame (`render --at`, made by
`containment.py reference`). For the recordings whose layout, captions and
status line change as the story goes.

python3 whole.py check CAST REFERENCE.json ROWS.json NAME
"""

import json, sys

from containment import cells, report


def check(cast, ref, got, name):
    frames = json.load(open(ref, encoding="utf-8"))
    shown = json.load(open(got, encoding="utf-8"))
    header = json.loads(open(cast, encoding="utf-8").readline())
    width = header.get("width") or header["term"]["cols"]
    failed = []
    for i, (f, rows) in enumerate(zip(frames, shown)):
        if not f["checked"]:
            continue
        for r, want in enumerate(f["rows"]):
            w = cells(want, width)
            g = cells(rows[r] if r < len(rows) else "", width)
            if w != g:
                bad = [c for c in range(width) if w[c] != g[c]]
                failed.append(f"{name}, frame {i + 1} ({f['time']:.3f} s), row {r + 1}, columns {bad[0] + 1}..{bad[-1] + 1}: want {''.join(w)!r}, got {''.join(g)!r}")
    if len(shown) != len(frames):
        failed.append(f"{name}: {len(shown)} frames shown, {len(frames)} recorded")
    report(name, sum(f["checked"] for f in frames), failed, "every cell as director draws it")


if __name__ == "__main__" and sys.argv[1:2] == ["check"]:
    check(*sys.argv[2:])
