-- (PostgreSQL) the same change as migrations/0002_key_quota.sql.
-- 0002: quota refill and quota bookkeeping for keys (issue #3).
--
-- refill_amount/refill_interval: optional periodic refill of remaining_uses (both or
-- neither). quota_epoch: bumped whenever an admin sets the quota, so a batched write
-- of a live count taken under an older setting is recognised and dropped.
-- quota_refilled_at: when remaining_uses was last set or refilled (Unix seconds);
-- with a refill, the UTC day or month containing it is the one already refilled.
ALTER TABLE keys ADD COLUMN refill_amount BIGINT CHECK (refill_amount >= 0);
ALTER TABLE keys ADD COLUMN refill_interval TEXT
  CHECK (refill_interval IN ('daily', 'monthly'));
ALTER TABLE keys ADD COLUMN quota_epoch BIGINT NOT NULL DEFAULT 0;
ALTER TABLE keys ADD COLUMN quota_refilled_at BIGINT;
