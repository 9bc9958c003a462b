"""notes-api: a small notes service (HTTP + PostgreSQL) that breakfix deploys and breaks."""
