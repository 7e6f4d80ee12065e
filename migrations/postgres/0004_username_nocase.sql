-- (PostgreSQL) the same change as migrations/0004_username_nocase.sql.
-- Usernames are unique case-insensitively (contract section 5): "Admin" and "admin"
-- are one user. Usernames are ASCII (A-Z a-z 0-9 . _ - @ +), so SQLite's NOCASE
-- folding is exact for them.
DROP INDEX users_username_live;
CREATE UNIQUE INDEX users_username_live ON users (lower(username))
  WHERE deleted_at IS NULL;
