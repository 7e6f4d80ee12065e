-- 0001: organizations, users, API keys, hourly usage counters, audit events.
--
-- Conventions: times are INTEGER Unix seconds (UTC); booleans INTEGER 0/1; lists
-- (scopes, ip lists, tags, permissions) and metadata are JSON text; the key hash is
-- a 32-byte BLOB. orgs/users/keys carry an AUTOINCREMENT `seqno` (never reused, so
-- "seqno > cursor" paging has no duplicates or gaps) and a `change_seq` taken from
-- meta.change_seq on every insert/update, which is how a running server notices rows
-- that another process (the local CLI) wrote. Users and orgs are soft-deleted; keys
-- are never deleted, only revoked.

-- One row: the last change_seq handed out.
CREATE TABLE meta (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  change_seq INTEGER NOT NULL
);
INSERT INTO meta (id, change_seq) VALUES (1, 0);

CREATE TABLE orgs (
  seqno INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  api_keys_enabled INTEGER NOT NULL CHECK (api_keys_enabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  change_seq INTEGER NOT NULL
);
-- Names are unique among live orgs only, so a deleted org's name can be reused.
CREATE UNIQUE INDEX orgs_name_live ON orgs (name) WHERE deleted_at IS NULL;
CREATE INDEX orgs_change_seq ON orgs (change_seq);

CREATE TABLE users (
  seqno INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  username TEXT NOT NULL,
  org_id TEXT NOT NULL REFERENCES orgs (id),
  role TEXT NOT NULL CHECK (role IN ('platform_admin', 'org_admin', 'member')),
  permissions TEXT NOT NULL CHECK (json_valid(permissions)),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  api_keys_enabled INTEGER NOT NULL CHECK (api_keys_enabled IN (0, 1)),
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  deleted_at INTEGER,
  change_seq INTEGER NOT NULL
);
-- Case-sensitive; unique among live users, so a deleted user's name can be reused.
CREATE UNIQUE INDEX users_username_live ON users (username) WHERE deleted_at IS NULL;
CREATE INDEX users_org_id ON users (org_id);
CREATE INDEX users_change_seq ON users (change_seq);

CREATE TABLE keys (
  seqno INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  display_prefix TEXT NOT NULL UNIQUE,
  hash BLOB NOT NULL CHECK (length(hash) = 32),
  name TEXT NOT NULL,
  description TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('user', 'org')),
  owner_user_id TEXT REFERENCES users (id),
  org_id TEXT NOT NULL REFERENCES orgs (id),
  scopes TEXT NOT NULL CHECK (json_valid(scopes)),
  read_only INTEGER NOT NULL CHECK (read_only IN (0, 1)),
  enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
  expires_at INTEGER,
  ip_allow TEXT NOT NULL CHECK (json_valid(ip_allow)),
  ip_deny TEXT NOT NULL CHECK (json_valid(ip_deny)),
  rate_limit INTEGER,
  rate_window_seconds INTEGER,
  tier TEXT NOT NULL,
  remaining_uses INTEGER,
  tags TEXT NOT NULL CHECK (json_valid(tags)),
  metadata TEXT NOT NULL CHECK (json_valid(metadata)),
  created_at INTEGER NOT NULL,
  created_by TEXT NOT NULL,
  updated_at INTEGER NOT NULL,
  last_used_at INTEGER,
  last_used_ip TEXT,
  revoked_at INTEGER,
  rotated_to TEXT,
  change_seq INTEGER NOT NULL,
  -- A rate limit is both numbers or neither.
  CHECK ((rate_limit IS NULL) = (rate_window_seconds IS NULL))
);
CREATE INDEX keys_owner_user_id ON keys (owner_user_id);
CREATE INDEX keys_org_id ON keys (org_id);
CREATE INDEX keys_change_seq ON keys (change_seq);

-- Verification outcomes per key, per hour (hour = at / 3600 * 3600), per code. No
-- foreign key: counters are telemetry, and one odd event must not fail a batch.
CREATE TABLE key_usage_hourly (
  key_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  code TEXT NOT NULL,
  count INTEGER NOT NULL,
  PRIMARY KEY (key_id, hour, code)
) WITHOUT ROWID;

-- Filled by a later issue (GET /v1/audit); created now so that issue adds no
-- migration of its own for the base table.
CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  actor_user_id TEXT,
  actor_key_id TEXT,
  action TEXT NOT NULL,
  target_type TEXT,
  target_id TEXT,
  ip TEXT,
  outcome TEXT NOT NULL,
  details TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(details))
);
CREATE INDEX audit_events_at ON audit_events (at);
CREATE INDEX audit_events_action ON audit_events (action, at);
CREATE INDEX audit_events_actor_user_id ON audit_events (actor_user_id, at);
CREATE INDEX audit_events_target_id ON audit_events (target_id, at);
