-- Usernames are unique case-insensitively (contract section 5): "Admin" and "admin"
-- are one user. Usernames are ASCII (A-Z a-z 0-9 . _ - @ +), so SQLite's NOCASE
-- folding is exact for them.
DROP INDEX users_username_live;
CREATE UNIQUE INDEX users_username_live ON users (username COLLATE NOCASE)
  WHERE deleted_at IS NULL;
