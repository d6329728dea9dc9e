"""Which release answers: trusted releases first, by a rule that never falls to hash or ingest order.

A release is *trusted* when borderdesk can vouch for where it came from: its sha256 is one of the
known CBP releases of :mod:`borderdesk.metadata` (``known_releases.csv``), or ``update`` downloaded it
from CBP itself (an ``https://`` address on cbp.gov; ``update --url`` elsewhere is no better than a
file given by hand). (The bundled snapshot is built from known releases only; a snapshot carrying
any other file loads it as unofficial, like a file given by hand.) A file
ingested by hand whose sha256 is not known is *unofficial*: it is stored and can be asked for by name
(``--as-of LABEL``), but for a month that a trusted release covers, the trusted release answers. So a
re-saved or doctored copy of an official file, whatever ``--release-date`` it is given, cannot change
an answer silently. See docs/reliability.md, "Which release answers".

The order, most preferred first (the same in :func:`borderdesk.sources.family.vintage_recency`, in
:func:`borderdesk.store.releases.recency` and in the ``latest_months`` view below):

1. trusted before unofficial;
2. CBP's own files before re-published derivatives;
3. the later coverage end, then the later publication date (unknown counts as oldest);
4. on an exact tie, the release stored first: a later file never takes over by its hash.
"""

from __future__ import annotations

import re

from borderdesk import metadata

#: Where ``update`` may download a file that is trusted without a known sha256: CBP's own site.
PUBLISHER_URL = r"^https://([a-z0-9-]+\.)*cbp\.gov/"


def is_unofficial(origin: str, sha256: str, source_url: str | None = None) -> bool:
    """True for a file that is not a known release and was not downloaded from CBP by ``update``."""
    if metadata.known_release(sha256) is not None:
        return False
    return not (origin == "download" and re.match(PUBLISHER_URL, (source_url or "").lower()))


#: The ``latest_months`` view with the precedence above (schema 4 on).
LATEST_MONTHS_VIEW = """
CREATE OR REPLACE VIEW latest_months AS
SELECT r.family, m.month, r.release_id
FROM release_months m JOIN releases r USING (release_id)
QUALIFY row_number() OVER (
    PARTITION BY r.family, m.month
    ORDER BY r.unofficial, r.official DESC, r.coverage_end DESC, r.published DESC NULLS LAST, r.release_id
) = 1;
"""


def migration() -> str:
    """Schema 3 -> 4: the ``unofficial`` flag (set for the hand-ingested files already stored), the
    totals ``verify`` recomputes (NULL, "not recorded", for releases stored before), and the view.
    Idempotent: every statement can run twice."""
    known = ", ".join(f"'{h}'" for h in metadata.known_release_hashes() if h.isalnum()) or "''"
    return f"""
ALTER TABLE releases ADD COLUMN IF NOT EXISTS unofficial BOOLEAN DEFAULT false;
ALTER TABLE releases ADD COLUMN IF NOT EXISTS total BIGINT;
UPDATE releases SET unofficial = (
    sha256 NOT IN ({known})
    AND NOT (origin = 'download' AND regexp_matches(lower(coalesce(source_url, '')), '{PUBLISHER_URL}'))
);
{LATEST_MONTHS_VIEW}
"""
