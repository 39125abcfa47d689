-- Two matters the office linked as the same work (a duplicate noticed when
-- a proposal was confirmed or a matter created). A pair is kept once, the
-- smaller id first; unlinking marks the row, never deletes it. Both the
-- link and the unlink are entries of the event log with the reason.
CREATE TABLE matter_links (
    id          INTEGER PRIMARY KEY,
    matter_a    INTEGER NOT NULL REFERENCES matters(id),
    matter_b    INTEGER NOT NULL REFERENCES matters(id),
    reason      TEXT NOT NULL DEFAULT '',
    created_by  INTEGER REFERENCES users(id),
    created_at  INTEGER NOT NULL,
    removed_by  INTEGER REFERENCES users(id),
    removed_at  INTEGER,
    CHECK (matter_a < matter_b)
);
CREATE UNIQUE INDEX matter_links_live ON matter_links (matter_a, matter_b) WHERE removed_at IS NULL;
CREATE INDEX matter_links_b ON matter_links (matter_b);
