-- What a document says of others (cites, repeals, amends, by 发文字号
-- and/or title) and of its own term (effective day, last day in force).
-- A citation of a document Duban does not hold stays a reference by
-- number or title and resolves when that document arrives.
ALTER TABLE documents ADD COLUMN valid_from TEXT;
ALTER TABLE documents ADD COLUMN valid_until TEXT;
ALTER TABLE documents ADD COLUMN validity_text TEXT;
CREATE INDEX documents_number ON documents (number);
CREATE INDEX documents_title ON documents (title);

CREATE TABLE citations (
    id           BIGSERIAL PRIMARY KEY,
    document_id  BIGINT NOT NULL REFERENCES documents(id),
    relation     TEXT NOT NULL,
    number       TEXT,
    title        TEXT,
    spans        TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX citations_document ON citations (document_id);
CREATE INDEX citations_number ON citations (number);
CREATE INDEX citations_title ON citations (title);
