-- (PostgreSQL) the same change as migrations/0003_audit_scope.sql.
-- Audit events carry the orgs and owner they concern, so GET /v1/audit can narrow
-- to what a caller may see with plain column filters (docs/api.md, "Audit").
ALTER TABLE audit_events ADD COLUMN actor_org_id TEXT;
ALTER TABLE audit_events ADD COLUMN target_org_id TEXT;
ALTER TABLE audit_events ADD COLUMN target_owner_user_id TEXT;
CREATE INDEX audit_events_actor_org_id ON audit_events (actor_org_id, id);
CREATE INDEX audit_events_target_org_id ON audit_events (target_org_id, id);
