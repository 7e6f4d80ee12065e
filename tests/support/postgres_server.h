// A private PostgreSQL 15 for tests: initdb in a fresh /tmp directory, run as an
// unprivileged user (the `postgres` account when the tests run as root, since
// initdb refuses root), listening on 127.0.0.1 only, on a free port, with fsync off
// (test data need not survive a crash; this keeps CREATE DATABASE cheap).
//
// One server serves a whole ctest run: the `pg_fixture` tool starts it as a ctest
// fixture and writes its admin URL to the file named by KEYWARD_TEST_PG_URL_FILE.
// A test binary run by hand, without that variable, starts its own instead (once per
// process). A missing PostgreSQL installation fails the test; it never skips.
//
// Thread-safety: Shared() and CreateDatabase() may be called from any thread.
#ifndef KEYWARD_TESTS_SUPPORT_POSTGRES_SERVER_H_
#define KEYWARD_TESTS_SUPPORT_POSTGRES_SERVER_H_

#include <sys/types.h>

#include <string>

namespace keyward::testing {

class PostgresServer {
 public:
  // Starts a server in a new directory under /tmp; on failure returns false with
  // `error` set. Its data dir, port and URL are then known.
  bool Start(std::string* error);
  // Fast shutdown (SIGINT), waits for the postmaster, removes the directory.
  void Stop();
  // An outage: shuts the server down but keeps its data; Resume() starts it again
  // on the same port. Both return false (with `error`) on failure.
  bool Pause(std::string* error);
  bool Resume(std::string* error);
  // Stops the server that a pg_fixture process started (dir from its URL file).
  static void StopDetached(const std::string& dir);

  const std::string& dir() const { return dir_; }
  // postgresql://keyward@127.0.0.1:PORT/postgres
  const std::string& admin_url() const { return admin_url_; }
  int port() const { return port_; }
  pid_t pid() const { return pid_; }

  // The admin URL of the run's server: the fixture's, else one private to this
  // process (started on first use, stopped at exit). Aborts the test binary with a
  // message when no server can be started.
  static const std::string& SharedUrl();

  // Creates an empty database with a fresh name on the server at `admin_url`;
  // returns its URL, or "" with `error` set.
  static std::string CreateDatabase(const std::string& admin_url, std::string* error);

 private:
  bool Launch(std::string* error);  // postgres on port_, waits until it answers

  std::string dir_;
  std::string bin_;
  uid_t uid_ = 0;
  gid_t gid_ = 0;
  bool drop_ = false;
  std::string admin_url_;
  int port_ = 0;
  pid_t pid_ = -1;
};

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_SUPPORT_POSTGRES_SERVER_H_
