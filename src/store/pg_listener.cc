// The PostgreSQL ChangeListener: LISTEN on a connection of its own, woken by the
// notifications SqlStore sends with each change_seq (sql_store.cc).
#include <libpq-fe.h>
#include <poll.h>

#include <atomic>
#include <chrono>
#include <thread>
#include <utility>

#include "keyward/store/change_listener.h"
#include "keyward/store/store_url.h"
#include "pg_connection.h"

namespace keyward::store {
namespace {

class PgListener final : public ChangeListener {
 public:
  PgListener(std::string url, std::function<void()> on_change)
      : url_(std::move(url)),
        on_change_(std::move(on_change)),
        thread_([this] { Run(); }) {}
  ~PgListener() override {
    stop_ = true;
    thread_.join();
  }

 private:
  void Run() {
    std::unique_ptr<PgConnection> conn;
    while (!stop_) {
      if (conn == nullptr) {
        conn = Connect();
        if (conn == nullptr) {
          Sleep(std::chrono::milliseconds(500));
          continue;
        }
        on_change_();  // catch up on whatever happened while not listening
      }
      if (!Wait(*conn)) conn.reset();
    }
  }

  std::unique_ptr<PgConnection> Connect() {
    Result<std::unique_ptr<PgConnection>> conn = PgConnection::Connect(url_);
    if (!conn.ok()) return nullptr;
    if (!(*conn)->Exec("LISTEN keyward_changes").ok()) return nullptr;
    return std::move(conn).value();
  }

  // Waits up to 200 ms for notifications; false when the connection is gone.
  bool Wait(PgConnection& conn) {
    Result<pg_conn*> raw = conn.Live();
    if (!raw.ok()) return false;
    pollfd fd{PQsocket(*raw), POLLIN, 0};
    if (fd.fd < 0) return false;
    int ready = ::poll(&fd, 1, 200);
    if (ready < 0) return true;  // EINTR: try again
    if (ready == 0) return true;
    if (PQconsumeInput(*raw) == 0) return false;
    bool notified = false;
    while (PGnotify* n = PQnotifies(*raw)) {
      notified = true;
      PQfreemem(n);
    }
    if (notified) on_change_();
    return PQstatus(*raw) == CONNECTION_OK;
  }

  void Sleep(std::chrono::milliseconds total) {
    const auto until = std::chrono::steady_clock::now() + total;
    while (!stop_ && std::chrono::steady_clock::now() < until) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
  }

  const std::string url_;
  const std::function<void()> on_change_;
  std::atomic<bool> stop_{false};
  std::thread thread_;  // last: started once everything above exists
};

}  // namespace

std::unique_ptr<ChangeListener> ListenForChanges(const std::string& store_url,
                                                 std::function<void()> on_change) {
  Result<StoreBackend> backend = StoreBackendFor(store_url);
  if (!backend.ok() || *backend != StoreBackend::kPostgres) return nullptr;
  return std::make_unique<PgListener>(store_url, std::move(on_change));
}

}  // namespace keyward::store
