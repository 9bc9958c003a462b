-- 1.0.0: the notes table.
CREATE TABLE notes (
    id         bigserial   PRIMARY KEY,
    title      text        NOT NULL CHECK (length(btrim(title)) > 0),
    body       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
