"""Which part of the search index each document goes in, and the bundles the search page loads.

The render stage needs the parts (the search page names them) before the
publish stage indexes them, so the split is decided here.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping

# Documents per part of the index. A note edit re-indexes its document's part,
# and Pagefind costs about 1.4 ms of CPU a page against 20 ms a run: a part of
# 1,000 takes a note edit 1.4 s of CPU, one of 250 would take 0.4 s (and 60 MB
# at most, not 180). Kept at 1,000 for the reader: a search fetches each part's
# metadata and word chunk (about 38 KB a part, measured: 341 KB for one part of
# 10,000 documents, 682 KB for ten), so parts of 250 would fetch about 1.9 MB a
# search at 10,000 documents and 7.6 MB at 50,000, and add 0.5 KB a document
# to the site (a copy of Pagefind's program in every bundle).
PART_SIZE = 1000


def parts_of(doc_ids: Iterable[str]) -> dict[int, list[str]]:
    """The index's parts: part number → the documents it indexes. No part is empty.

    A document's part is fixed by its id, so a changed page re-indexes one part;
    the number of parts grows with the archive, one per `PART_SIZE` documents.
    """
    ids = sorted(set(doc_ids))
    count = max(1, -(-len(ids) // PART_SIZE))
    parts: dict[int, list[str]] = {}
    for doc_id in ids:
        number = int.from_bytes(hashlib.sha256(doc_id.encode()).digest()[:8], "big") % count
        parts.setdefault(number, []).append(doc_id)
    return dict(sorted(parts.items()))


def bundles_of(languages: Mapping[str, str]) -> tuple[str, ...]:
    """The index's bundles, `part/language`, in order: one per language of each part.

    `languages` gives each document's language, as its page's `<html lang>` says it;
    the publish stage runs Pagefind once per bundle, in that language.
    """
    return tuple(
        f"{number}/{language}"
        for number, members in parts_of(languages).items()
        for language in sorted({languages[doc_id] for doc_id in members})
    )
