"""The font the reports carry (tools/fonts, `make fonts`): Inter subset to WOFF2, with its licence; the brand's font
list reaches the style sheet as CSS."""

import base64
import hashlib

import pytest
from pydantic import ValidationError

from aicto.present.report import FONTS, embedded_fonts, font_manifest
from aicto.present.views.common import report_style
from aicto.profile.playbook import Brand, load_playbook


def test_font_files_match_their_manifest_and_carry_the_ofl():
    manifest = font_manifest()
    assert manifest["family"] == "Inter" and "Open Font License" in manifest["licence"]
    assert "SIL OPEN FONT LICENSE" in (FONTS / "OFL.txt").read_text().upper()
    assert set(manifest["weights"]) == {"400", "600", "700"}
    for entry in manifest["weights"].values():
        data = (FONTS / entry["file"]).read_bytes()
        assert data[:4] == b"wOF2" and len(data) == entry["bytes"] < 25_000
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
    for code in ("U+00A3", "U+20AC", "U+2013", "U+2212", "U+2009"):  # £ € – − and the thin space the reports use
        assert code in manifest["code_points"]


def test_the_brands_font_is_embedded_when_it_names_inter():
    faces = embedded_fonts(load_playbook().brand.font_family)
    assert [face["weight"] for face in faces] == ["400", "600", "700"]
    assert base64.b64decode(faces[0]["data"])[:4] == b"wOF2"
    assert embedded_fonts("Georgia, serif") == ()
    assert len(embedded_fonts("'Inter', sans-serif")) == 3


def test_the_font_list_reaches_the_style_sheet_as_css():
    brand = load_playbook().brand
    css = report_style(brand)
    assert f"--aicto-font: {brand.font_family};" in css  # quotes as written: escaped, they broke the whole list
    with pytest.raises(ValidationError, match="font_family"):
        Brand.model_validate({**brand.model_dump(), "font_family": "Inter</style><script>alert(1)</script>"})
