// KeyPolicies: the contract's per-key policies as one unit — the runtime table,
// IpPolicy (before the scope check) and UsagePolicy (after it) — wired into a
// Verifier through policies().
//
// Owners publish every changed record through Publish() right after
// KeyIndex::Upsert, with the same shared_ptr. Thread-safe.
#ifndef KEYWARD_CORE_KEY_POLICIES_H_
#define KEYWARD_CORE_KEY_POLICIES_H_

#include <memory>

#include "keyward/core/ip_policy.h"
#include "keyward/core/key_runtime_table.h"
#include "keyward/core/limit_backend.h"
#include "keyward/core/usage_policy.h"
#include "keyward/core/verifier.h"

namespace keyward::core {

class KeyPolicies {
 public:
  // References must outlive this object.
  KeyPolicies(const KeyIndex& index, Tiers tiers, const Clock& clock,
              const MonotonicClock& mono)
      : table_(index, std::move(tiers), mono), ip_(table_), usage_(table_, clock, mono) {}
  KeyPolicies(const KeyPolicies&) = delete;
  KeyPolicies& operator=(const KeyPolicies&) = delete;

  VerifierPolicies policies() const { return VerifierPolicies{{&ip_}, {&usage_}}; }

  void Publish(const std::shared_ptr<const KeyRecord>& record) { table_.Refresh(record); }
  void Report(Decision& decision) const { usage_.Report(decision); }
  std::optional<std::int64_t> LiveRemaining(const KeyRecord& key) const {
    return usage_.LiveRemaining(key);
  }

  KeyRuntimeTable& table() { return table_; }

  // limits.backend = redis://...: rate limits and quotas (and, through shared(),
  // the gate's failed-auth throttle) are decided by `backend`. Before serving only;
  // `backend` must outlive this object.
  void UseSharedBackend(LimitBackend* backend, BackendErrorMode mode) {
    shared_ = backend;
    mode_ = mode;
    usage_.UseSharedBackend(backend, mode);
  }
  LimitBackend* shared() const { return shared_; }
  BackendErrorMode shared_error_mode() const { return mode_; }

 private:
  KeyRuntimeTable table_;
  IpPolicy ip_;
  UsagePolicy usage_;
  LimitBackend* shared_ = nullptr;
  BackendErrorMode mode_ = BackendErrorMode::kLocal;
};

}  // namespace keyward::core

#endif  // KEYWARD_CORE_KEY_POLICIES_H_
