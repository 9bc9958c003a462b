-- Fix forward after the naive 003 (RENAME COLUMN body TO content) has already run: bring
-- notes.body back, filled from content, and keep both columns in sync, so 1.4.0 can run
-- again with every note, including the ones written by 2.0.0.
--
-- Idempotent on purpose: on a database migrated with the expand version of 003 (body and
-- content both present, trigger in place) it changes nothing.
ALTER TABLE notes ADD COLUMN IF NOT EXISTS body text;
UPDATE notes SET body = content WHERE body IS DISTINCT FROM content;
ALTER TABLE notes ALTER COLUMN body SET NOT NULL;

CREATE OR REPLACE FUNCTION notes_sync_body_content() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        NEW.content := COALESCE(NEW.content, NEW.body);
        NEW.body    := COALESCE(NEW.body, NEW.content);
    ELSIF NEW.content IS DISTINCT FROM OLD.content AND NEW.body IS NOT DISTINCT FROM OLD.body THEN
        NEW.body := NEW.content;            -- written by 2.0.0
    ELSIF NEW.body IS DISTINCT FROM OLD.body AND NEW.content IS NOT DISTINCT FROM OLD.content THEN
        NEW.content := NEW.body;            -- written by 1.4.0
    END IF;
    RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS notes_sync_body_content ON notes;
CREATE TRIGGER notes_sync_body_content
    BEFORE INSERT OR UPDATE ON notes
    FOR EACH ROW EXECUTE FUNCTION notes_sync_body_content();
