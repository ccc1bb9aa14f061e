"""The docs hold together: a short README, links that lead somewhere, library paths that exist, and the example ROIs
quoted in the docs are the engagement model's."""

import re
from pathlib import Path

import pytest

from aicto.model.engagement import build_engagement
from aicto.model.validation import load_client
from tests.conftest import EXAMPLES, ROOT

README = ROOT / "README.md"
DOCS = sorted((ROOT / "docs").glob("*.md"))
PAGES = [README, *DOCS]
# Written by a generator from the profile schema, landed separately: a link to it is allowed before it exists.
GENERATED = {"docs/profile-reference.md"}
ROI_TABLE = ROOT / "docs" / "routes-and-roi.md"

# [text](target) and [text]: target; images too. A target with a scheme (https:, mailto:) is not a file.
LINK = re.compile(r"\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)|^\s*\[[^\]]+\]:\s*(\S+)", re.M)
# A path in the repository as the docs write it, from the top: lib/aicto/..., tests/..., bench/..., and so on.
REPO_PATH = re.compile(r"(?<![\w/.$-])(?:lib/aicto|(?:tests|bench|playbook|notebooks|jupyter-config|\.ci)/)[\w.*<>/-]*")


def _ids(paths):
    return [str(p.relative_to(ROOT)) for p in paths]


def _without_code(text: str) -> str:
    """Fenced blocks and code spans hold commands, paths and output, not links."""
    return re.sub(r"`[^`\n]*`", "", re.sub(r"^```.*?^```", "", text, flags=re.M | re.S))


def links(path: Path) -> list[str]:
    text = _without_code(path.read_text(encoding="utf-8"))
    return [m[1] or m[2] for m in LINK.finditer(text)]


def repository_paths(text: str) -> set[str]:
    """The paths a page names, without a pattern (`*`) or a placeholder (`<client-id>`) in them."""
    found = {m.rstrip(".,:;") for m in REPO_PATH.findall(text)}
    return {p for p in found if not any(c in p for c in "*<>")}


def test_readme_is_short():
    lines = README.read_text(encoding="utf-8").splitlines()
    assert len(lines) < 200, f"README.md has {len(lines)} lines: move detail to docs/"


def test_docs_exist_and_the_index_names_each_page():
    index = (ROOT / "docs" / "index.md").read_text(encoding="utf-8")
    listed = {Path(t).name for t in links(ROOT / "docs" / "index.md")}
    missing = [p.name for p in DOCS if p.name != "index.md" and p.name not in listed]
    assert not missing, f"docs/index.md does not link {', '.join(missing)}"
    assert "playbook/README.md" in index


@pytest.mark.parametrize("page", PAGES, ids=_ids(PAGES))
def test_relative_links_point_at_files(page):
    broken = []
    for target in links(page):
        if re.match(r"[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
            continue  # a web address, or an anchor in the same page
        file = (page.parent / target.split("#", 1)[0]).resolve()
        relative = file.relative_to(ROOT).as_posix() if file.is_relative_to(ROOT) else str(file)
        if not file.exists() and relative not in GENERATED:
            broken.append(target)
    assert not broken, f"{page.name}: links to missing files: {', '.join(broken)}"


def test_the_checks_see_links_and_paths(tmp_path):
    page = tmp_path / "page.md"
    page.write_text("[a](missing.md) [b](https://example.com) [c](#here) `x[0](y)`\n```\n[d](in-code.md)\n```\n"
                    "See `lib/aicto/model/roi.py`, lib/aicto/text/. `tests/unit/<layer>/` `notebooks/*.ipynb` "
                    "https://example.com/tests/x\n")
    assert links(page) == ["missing.md", "https://example.com", "#here"]
    assert repository_paths(page.read_text()) == {"lib/aicto/model/roi.py", "lib/aicto/text/"}


PATH_PAGES = [*PAGES, ROOT / "playbook" / "README.md"]


@pytest.mark.parametrize("page", PATH_PAGES, ids=_ids(PATH_PAGES))
def test_repository_paths_exist(page):
    """Every lib/aicto/... path (and tests/, bench/, playbook/, notebooks/ path) a page names is there."""
    missing = sorted(p for p in repository_paths(page.read_text(encoding="utf-8")) if not (ROOT / p).exists())
    assert not missing, f"{page.relative_to(ROOT)} names paths that do not exist: {', '.join(missing)}"


def test_the_examples_roi_table_matches_the_engagement_model(playbook):
    """A figure shown twice is the same figure: the docs' table of example ROIs is the engagement model's."""
    text = ROI_TABLE.read_text(encoding="utf-8")
    for path in EXAMPLES:
        roi = build_engagement(load_client(path, playbook), playbook).roi
        row = re.search(rf"^\| `{path.stem}` \| [^|]+ \| ([\d.]+)x \| ([^|]+) \|", text, re.M)
        assert row, f"{ROI_TABLE.name} has no ROI row for {path.stem}"
        assert row[1] == f"{roi.base.multiple:.1f}", path.stem
        payback = f"month {roi.base.payback_month}" if roi.base.payback_month else "not within"
        assert row[2].strip().startswith(payback), path.stem
