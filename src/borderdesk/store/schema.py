"""The database schema, versioned. Facts store small integer codes; ``dimension_values`` names them.

Every release is kept whole as its own vintage; ``latest_months`` says which release answers for each
month of each source family: CBP's own releases before re-published derivatives, then the newest by
coverage end, then publication date — never by ingest order. Since schema 4, trusted releases come
first of all, and an exact tie goes to the release stored first (:mod:`borderdesk.store.precedence`).
"""

from __future__ import annotations

from borderdesk.sources.cbp import FACT_COLUMNS
from borderdesk.sources.registry import migrations as family_migrations
from borderdesk.store import precedence

#: The version this borderdesk writes. A new database is created at version 1 (``DDL``) and brought up
#: by ``MIGRATIONS``, the same steps an existing older file takes, so every path is tested by every run.
SCHEMA_VERSION = 4

#: Versions this borderdesk can read without migrating (read-only opens never write; a schema-2 file
#: without ``history_facts`` simply has no Border Patrol history).
READABLE_VERSIONS = (1, 2, 3, 4)

# Dimension columns of ``facts``, in table order (all SMALLINT codes, NULL where a format lacks one):
# the CBP families declare them.
FACT_DIMENSIONS = FACT_COLUMNS

#: Schema version 1, as borderdesk 0.1.0 created it. Never edit: add a migration instead.
DDL = """
CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL);

CREATE TABLE releases (
    release_id     SMALLINT PRIMARY KEY,
    label          VARCHAR NOT NULL UNIQUE,
    family         VARCHAR NOT NULL,
    format         VARCHAR NOT NULL,
    official       BOOLEAN NOT NULL,
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL UNIQUE,
    bytes          BIGINT NOT NULL,
    rows           INTEGER NOT NULL,
    coverage_start DATE NOT NULL,
    coverage_end   DATE NOT NULL,
    published      VARCHAR,
    source_url     VARCHAR,
    origin         VARCHAR NOT NULL,
    ingested_at    TIMESTAMP NOT NULL,
    note           VARCHAR
);

CREATE TABLE dimension_values (
    dimension VARCHAR NOT NULL,
    code      SMALLINT NOT NULL,
    value     VARCHAR NOT NULL,
    PRIMARY KEY (dimension, code)
);

CREATE TABLE release_months (
    release_id SMALLINT NOT NULL,
    month      DATE NOT NULL,
    PRIMARY KEY (release_id, month)
);

-- which dimension values each release has (so a question can be routed without scanning facts)
CREATE TABLE release_values (
    release_id SMALLINT NOT NULL,
    dimension  VARCHAR NOT NULL,
    code       SMALLINT NOT NULL,
    PRIMARY KEY (release_id, dimension, code)
);

CREATE TABLE facts (
    release_id     SMALLINT NOT NULL,
    line           INTEGER NOT NULL,
    fiscal_year    SMALLINT NOT NULL,
    month          DATE NOT NULL,
    region         SMALLINT,
    state          SMALLINT,
    aor            SMALLINT,
    component      SMALLINT,
    demographic    SMALLINT,
    citizenship    SMALLINT,
    title          SMALLINT,
    encounter_type SMALLINT,
    encounters     INTEGER NOT NULL
);

CREATE VIEW latest_months AS
SELECT r.family, m.month, r.release_id
FROM release_months m JOIN releases r USING (release_id)
QUALIFY row_number() OVER (
    PARTITION BY r.family, m.month
    ORDER BY r.official DESC, r.coverage_end DESC, r.published DESC NULLS LAST, r.sha256
) = 1;

CREATE VIEW facts_named AS
SELECT r.label AS release, f.line, f.fiscal_year, f.month,
       (SELECT value FROM dimension_values d WHERE d.dimension = 'region' AND d.code = f.region) AS region,
       (SELECT value FROM dimension_values d WHERE d.dimension = 'state' AND d.code = f.state) AS state,
       (SELECT value FROM dimension_values d WHERE d.dimension = 'aor' AND d.code = f.aor) AS aor,
       (SELECT value FROM dimension_values d WHERE d.dimension = 'component' AND d.code = f.component)
           AS component,
       (SELECT value FROM dimension_values d WHERE d.dimension = 'demographic' AND d.code = f.demographic)
           AS demographic,
       (SELECT value FROM dimension_values d WHERE d.dimension = 'citizenship' AND d.code = f.citizenship)
           AS citizenship,
       (SELECT value FROM dimension_values d WHERE d.dimension = 'title' AND d.code = f.title) AS title,
       (SELECT value FROM dimension_values d WHERE d.dimension = 'encounter_type'
           AND d.code = f.encounter_type) AS encounter_type,
       f.encounters
FROM facts f JOIN releases r USING (release_id);
"""

#: version N -> the statements that make a version-N database version N+1. Tables of a source family
#: are declared by the family (:meth:`borderdesk.sources.family.SourceFamily.migrations`) and added here.
MIGRATIONS: dict[int, str] = {
    1: """
-- one row per published change of the database (ingest, update, migrate): its generation number
CREATE TABLE updates (
    generation  INTEGER PRIMARY KEY,
    finished_at TIMESTAMP NOT NULL,
    command     VARCHAR NOT NULL,
    releases    INTEGER NOT NULL,
    added       VARCHAR
);
INSERT INTO updates
SELECT 1, current_timestamp::TIMESTAMP, 'migrate to schema 2', (SELECT count(*) FROM releases), NULL;
""",
}
MIGRATIONS.update(family_migrations())
# 3 -> 4: trusted releases first, and the totals `verify` checks (borderdesk.store.precedence)
MIGRATIONS[3] = precedence.migration()
assert sorted(MIGRATIONS) == list(range(1, SCHEMA_VERSION)), "migrations must be numbered 1..SCHEMA_VERSION-1"
