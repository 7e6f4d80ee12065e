// A private redis-server for tests: a fresh /tmp directory, 127.0.0.1 only, a free
// port, no persistence (--save '' --appendonly no), 10000 logical databases so
// parallel tests each take their own (NewDatabase).
//
// One server serves a whole ctest run: the `redis_fixture` tool starts it as a
// ctest fixture ("servers", with the PostgreSQL one) and writes its address to
// build/test-redis.addr, found beside KEYWARD_TEST_PG_URL_FILE's file (or named by
// KEYWARD_TEST_REDIS_FILE). A test binary run by hand, without that variable, starts
// its own (once per process). Tests that stop Redis on purpose start their own
// RedisServer. A missing redis-server fails the test; it never skips.
//
// Thread-safety: SharedPort() and NewDatabase() may be called from any thread.
#ifndef KEYWARD_TESTS_SUPPORT_REDIS_SERVER_H_
#define KEYWARD_TESTS_SUPPORT_REDIS_SERVER_H_

#include <sys/types.h>

#include <string>

namespace keyward::testing {

class RedisServer {
 public:
  RedisServer() = default;
  ~RedisServer() { Stop(); }
  RedisServer(const RedisServer&) = delete;
  RedisServer& operator=(const RedisServer&) = delete;

  // Starts a server; on failure returns false with `error` set.
  bool Start(std::string* error);
  // Stops the server and removes its directory.
  void Stop();
  // An outage: stops the server (its data is gone: no persistence); Resume()
  // starts it again on the same port.
  bool Pause(std::string* error);
  bool Resume(std::string* error);
  // Forgets the server without stopping it (the fixture tool leaves it running for
  // the run; redis_fixture stop ends it).
  void Detach() {
    pid_ = -1;
    dir_.clear();
  }
  // Stops the server a redis_fixture process started (pid and dir from its file).
  static void StopDetached(pid_t pid, const std::string& dir);
  // Blocks until 127.0.0.1:`port` answers PING (at most 10 s).
  static bool WaitReady(int port);

  int port() const { return port_; }
  pid_t pid() const { return pid_; }
  const std::string& dir() const { return dir_; }
  // redis://127.0.0.1:PORT/DB
  std::string Url(int db) const;

  // The port of the run's server: the fixture's, else one private to this process.
  // Aborts the test binary with a message when none can be started.
  static int SharedPort();
  // A database number of the shared server no other test of this run uses.
  static int NewDatabase();

 private:
  bool Launch(std::string* error);

  std::string dir_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_SUPPORT_REDIS_SERVER_H_
