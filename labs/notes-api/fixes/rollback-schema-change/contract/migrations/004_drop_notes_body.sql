-- CONTRACT phase of body -> content. Ship it in a release AFTER 2.0.0, once no release that
-- reads notes.body (1.4.0) can be rolled back to. After this, rolling back to 1.4.0 breaks
-- again, by design: the rollback window has closed.
DROP TRIGGER IF EXISTS notes_sync_body_content ON notes;
DROP FUNCTION IF EXISTS notes_sync_body_content();
ALTER TABLE notes DROP COLUMN body;
