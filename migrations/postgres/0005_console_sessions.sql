-- (PostgreSQL) the same change as migrations/0005_console_sessions.sql.
-- Web console (contract section 8): users sign in with a password, and a signed-in
-- browser holds a server-side session. Only hashes are stored: the Argon2id string
-- of the password (libsodium crypto_pwhash_str, salt and parameters inside it) and
-- the BLAKE2b-256 of the session token, so a copy of the database opens no session.
-- Sessions live in the store, not in one process's memory, so any replica on the
-- same database accepts them.
ALTER TABLE users ADD COLUMN password_hash TEXT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,             -- hex BLAKE2b-256 of the cookie's token
  user_id TEXT NOT NULL REFERENCES users (id),
  csrf_token TEXT NOT NULL,        -- sent back in X-CSRF-Token on every change
  created_at BIGINT NOT NULL,     -- absolute expiry counts from here
  last_seen_at BIGINT NOT NULL,   -- idle expiry counts from here
  ip TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
