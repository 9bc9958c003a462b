-- 2.0.0: the note text column is now called "content" (the API field is still "body").
ALTER TABLE notes RENAME COLUMN body TO content;
