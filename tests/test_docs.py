"""The documentation stays inside the repository: every relative link of the README and docs/ names a file
of the repository (a reader of a clone, or of the repository on the web, can follow it)."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)\s]+)\)")


def test_relative_links_of_the_docs_lead_to_files_of_the_repository() -> None:
    documents = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
    checked = 0
    for document in documents:
        for target in LINK.findall(document.read_text(encoding="utf-8")):
            if re.match(r"^[a-z]+:", target) or target.startswith("#"):
                continue  # a URL or an anchor of the same page
            path = (document.parent / target.split("#")[0]).resolve()
            assert path.is_relative_to(REPO), f"{document.name} links outside the repository: {target}"
            assert path.exists(), f"{document.name} links to a missing file: {target}"
            checked += 1
    assert checked > 10
    assert "../shared" not in (REPO / "docs" / "architecture.md").read_text(encoding="utf-8")
