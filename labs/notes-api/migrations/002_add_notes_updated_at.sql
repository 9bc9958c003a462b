-- 1.3.0: remember when a note was last edited.
ALTER TABLE notes ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();
UPDATE notes SET updated_at = created_at;
