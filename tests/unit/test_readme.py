"""A figure shown twice is the same figure: the README's table of example ROIs matches the engagement model."""

import re

from aicto.model.engagement import build_engagement
from aicto.model.validation import load_client
from tests.conftest import EXAMPLES, ROOT


def test_readme_lists_each_examples_multiple_and_payback(playbook):
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    for path in EXAMPLES:
        roi = build_engagement(load_client(path, playbook), playbook).roi
        row = re.search(rf"^\| `{path.stem}` \| [^|]+ \| ([\d.]+)x \| ([^|]+) \|", text, re.M)
        assert row, f"README has no ROI row for {path.stem}"
        assert row[1] == f"{roi.base.multiple:.1f}", path.stem
        payback = f"month {roi.base.payback_month}" if roi.base.payback_month else "not within"
        assert row[2].strip().startswith(payback), path.stem
