-- 2.0.0: the note text moves from notes.body to notes.content: EXPAND phase.
--
-- Backward compatible. 1.4.0 keeps reading and writing notes.body, 2.0.0 reads and writes
-- notes.content, and a trigger keeps the two columns equal whichever release writes, so
-- rolling back to 1.4.0 loses no note. The CONTRACT phase (drop body and the trigger) ships
-- in a later release, once 1.4.0 can no longer be rolled back to.
ALTER TABLE notes ADD COLUMN content text;
UPDATE notes SET content = body;            -- backfill (batch this on a large table)
ALTER TABLE notes ALTER COLUMN content SET NOT NULL;

CREATE FUNCTION notes_sync_body_content() RETURNS trigger
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

-- BEFORE triggers run before NOT NULL is checked: an INSERT that names only one of the two
-- columns gets the other filled in here.
CREATE TRIGGER notes_sync_body_content
    BEFORE INSERT OR UPDATE ON notes
    FOR EACH ROW EXECUTE FUNCTION notes_sync_body_content();
