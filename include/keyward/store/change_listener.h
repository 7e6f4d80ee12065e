// ChangeListener: tells a replica at once that another one committed a change, so
// its index catches up well inside the contract's 1 s (section 7).
//
// On PostgreSQL every write transaction that takes a change_seq also sends
// NOTIFY keyward_changes, delivered at commit. The listener holds a connection of
// its own with LISTEN and calls `on_change` for each batch of notifications, and
// once more after every (re)connect: notifications sent while it was away are
// lost, so the caller's catch-up read by change_seq (ChangesSince) is what makes
// sure nothing is missed. `on_change` only wakes the caller's sync; the periodic
// poll stays as the fallback.
//
// Thread-safety: the listener runs one thread; `on_change` is called on it.
// Destruction stops and joins it.
#ifndef KEYWARD_STORE_CHANGE_LISTENER_H_
#define KEYWARD_STORE_CHANGE_LISTENER_H_

#include <functional>
#include <memory>
#include <string>

namespace keyward::store {

class ChangeListener {
 public:
  virtual ~ChangeListener() = default;
};

// For a PostgreSQL store.url: starts listening (retrying in the background while
// the database is unreachable). For SQLite: null; the poll covers the local CLI.
std::unique_ptr<ChangeListener> ListenForChanges(const std::string& store_url,
                                                 std::function<void()> on_change);

}  // namespace keyward::store

#endif  // KEYWARD_STORE_CHANGE_LISTENER_H_
