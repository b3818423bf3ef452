-- Frameworks (internal/frameworks): trees of goals and paragraphs that
-- indicators are attached to — the eight points of A/68/190, the operative
-- paragraphs of the resolution "Protection of migrants", the migration-related
-- SDG targets, the objectives of the Global Compact for Safe, Orderly and
-- Regular Migration, and any a system administrator or analyst adds (a
-- national action plan). Titles and summaries are JSON objects keyed by
-- language (en, fr, es, ru, ar, zh), as they are read and written whole.
CREATE TABLE frameworks (
    code        TEXT PRIMARY KEY,   -- 'A68190', 'RESPM', 'SDG', 'GCM', or an administrator's code
    symbol      TEXT NOT NULL,      -- the document it cites, e.g. 'A/68/190', 'A/RES/73/195'
    titles      TEXT NOT NULL,
    summaries   TEXT NOT NULL DEFAULT '{}',
    position    INTEGER NOT NULL,
    shipped     INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1)),
    created_by  TEXT NOT NULL DEFAULT '',
    created_at  BIGINT NOT NULL,
    updated_at  BIGINT NOT NULL
);

-- A node's id is its framework's code, a colon and its own code
-- ('SDG:10.7', 'A68190:7'), so that links and indicators can name a node in
-- any framework with one string that reads well in a URL and a CSV file.
CREATE TABLE framework_nodes (
    id          TEXT PRIMARY KEY,
    framework   TEXT NOT NULL REFERENCES frameworks (code) ON DELETE CASCADE,
    code        TEXT NOT NULL,
    parent_id   TEXT REFERENCES framework_nodes (id) ON DELETE CASCADE,
    position    INTEGER NOT NULL,
    cites       TEXT NOT NULL DEFAULT '',  -- the paragraph it cites, e.g. 'para. 4 (a)'
    titles      TEXT NOT NULL,
    summaries   TEXT NOT NULL DEFAULT '{}',
    UNIQUE (framework, code)
);
CREATE INDEX framework_nodes_parent ON framework_nodes (framework, parent_id, position);

-- Links across frameworks are undirected; each is stored once with the
-- smaller id first, and read in both directions. Shipped links come with the
-- release and are kept in step with it; the links administrators add are
-- theirs, and a release never touches them.
CREATE TABLE framework_links (
    node_a      TEXT NOT NULL REFERENCES framework_nodes (id) ON DELETE CASCADE,
    node_b      TEXT NOT NULL REFERENCES framework_nodes (id) ON DELETE CASCADE,
    shipped     INTEGER NOT NULL DEFAULT 0 CHECK (shipped IN (0, 1)),
    PRIMARY KEY (node_a, node_b),
    CHECK (node_a < node_b)
);
CREATE INDEX framework_links_b ON framework_links (node_b);
