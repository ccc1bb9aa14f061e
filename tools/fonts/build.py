"""Builds the font aicto's reports embed: Inter (SIL Open Font License 1.1), the brand's first font, from the npm
package @fontsource/inter pinned in package-lock.json, subset with fonttools to the glyphs an English-language board
paper uses (en-US and en-GB: Latin-1, typographic punctuation, currency signs, the minus plotly writes), as WOFF2.

Run with `make fonts` from the top of the repository (npm ci, then this script with the venv's python: fonttools is
a dev dependency). Same inputs, same bytes. Writes into lib/aicto/present/assets/fonts/: inter-<weight>.woff2, the
licence (OFL.txt) and fonts.json (the family, version, weights, code points, each file's size and sha256).
"""

from __future__ import annotations

import hashlib
import json
from io import BytesIO
from pathlib import Path

from fontTools import subset
from fontTools import version as fonttools_version
from fontTools.ttLib import TTFont

HERE = Path(__file__).resolve().parent
PACKAGE = HERE / "node_modules" / "@fontsource" / "inter"
OUT = HERE.parent.parent / "lib" / "aicto" / "present" / "assets" / "fonts"
FAMILY = "Inter"
WEIGHTS = (400, 600, 700)  # body text; the client's name; headings, table headers and figures in bold
# Basic Latin and Latin-1; the general punctuation block (dashes, quotes, thin and narrow spaces, bullet, ellipsis);
# the euro, pound and other currency signs; arrows; the minus sign plotly writes for negatives; <= >= ~=.
CODE_POINTS = [*range(0x20, 0x7F), *range(0xA0, 0x100), 0x152, 0x153, *range(0x2000, 0x2070), *range(0x20A0, 0x20C1),
               0x2122, *range(0x2190, 0x2196), 0x2212, 0x2248, 0x2264, 0x2265, 0xFFFD]


def subset_woff2(source: Path) -> bytes:
    options = subset.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern", "liga", "calt", "ccmp", "locl", "mark", "mkmk", "tnum"]
    options.name_IDs = [0, 1, 2, 3, 4, 5, 6]  # copyright, family, style, id, full name, version, PostScript name
    options.notdef_outline = True
    font = TTFont(source, recalcTimestamp=False)  # the source's date: the same bytes on every build
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=CODE_POINTS)
    subsetter.subset(font)
    buffer = BytesIO()
    font.flavor = "woff2"
    font.save(buffer, reorderTables=True)
    return buffer.getvalue()


def main() -> None:
    version = json.loads((PACKAGE / "package.json").read_text())["version"]
    OUT.mkdir(parents=True, exist_ok=True)
    files = {}
    for weight in WEIGHTS:
        data = subset_woff2(PACKAGE / "files" / f"inter-latin-{weight}-normal.woff2")
        name = f"inter-{weight}.woff2"
        (OUT / name).write_bytes(data)
        files[str(weight)] = {"file": name, "bytes": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    (OUT / "OFL.txt").write_text((PACKAGE / "LICENSE").read_text())
    manifest = {"family": FAMILY, "source": f"@fontsource/inter {version}", "licence": "SIL Open Font License 1.1",
                "fonttools": fonttools_version,
                "code_points": [f"U+{cp:04X}" for cp in CODE_POINTS], "weights": files}
    (OUT / "fonts.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"{FAMILY} {version}: " + ", ".join(f"{w} {f['bytes'] / 1000:.1f} KB" for w, f in files.items()))


if __name__ == "__main__":
    main()
