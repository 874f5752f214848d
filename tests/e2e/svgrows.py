"""The rows a `director render` SVG shows, read as a browser places them:
frames built on frames resolved, cleared rectangles blanked, each run of
text at the column its x gives (a wide character then an empty cell).

    rows(path, frame=0) -> list of row strings, trailing blanks trimmed
"""

import re
import unicodedata
import xml.etree.ElementTree as ET

NS = "{http://www.w3.org/2000/svg}"


def rows(path, frame=0):
    root = ET.parse(path).getroot()
    style = "".join(root.find(f"{NS}style").itertext())
    size = float(re.search(r"font-size:([0-9.]+)px", style).group(1))
    cw, ch = size * 0.6, round(size * 1.2)
    by_id = {e.get("id"): e for e in root.iter() if e.get("id")}
    window = root.find(f"{NS}svg")
    count = round(float(window.get("height")) / ch)
    strip = window.find(f"{NS}g")
    cells = [[" "] * 1000 for _ in range(count)]
    place(strip.findall(f"{NS}use")[frame], by_id, cells, cw, ch)
    return ["".join(r).rstrip() for r in cells]


def place(use, by_id, cells, cw, ch):
    target = by_id[use.get("href")[1:]]
    if use.get("y") is None:
        # A frame: its uses and clears, in order.
        for child in target:
            if child.tag == f"{NS}use":
                place(child, by_id, cells, cw, ch)
            elif child.tag == f"{NS}rect":
                x, y = float(child.get("x", 0)), float(child.get("y", 0))
                c0, r0 = round(x / cw), round(y / ch)
                c1 = round((x + float(child.get("width"))) / cw)
                r1 = round((y + float(child.get("height"))) / ch)
                for r in range(r0, r1):
                    cells[r][c0:c1] = [" "] * (c1 - c0)
        return
    row = round(float(use.get("y")) / ch)
    for tspan in target.iter(f"{NS}tspan"):
        col = round(float(tspan.get("x")) / cw)
        for c in tspan.text or "":
            if unicodedata.combining(c) and col > 0:
                cells[row][col - 1] += c
            elif unicodedata.east_asian_width(c) in "WF":
                cells[row][col], cells[row][col + 1] = c, ""
                col += 2
            else:
                cells[row][col] = c
                col += 1
