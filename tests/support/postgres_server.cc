#include "support/postgres_server.h"

#include <fcntl.h>
#include <glob.h>
#include <libpq-fe.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace keyward::testing {
namespace {

// The newest installed server's bin dir (Debian: /usr/lib/postgresql/15/bin).
std::string BinDir() {
  glob_t found{};
  std::string best;
  if (::glob("/usr/lib/postgresql/*/bin/postgres", 0, nullptr, &found) == 0) {
    for (std::size_t i = 0; i < found.gl_pathc; ++i) {
      std::string path = found.gl_pathv[i];
      if (best.empty() || path > best) best = path;
    }
  }
  ::globfree(&found);
  if (best.empty()) return best;
  return best.substr(0, best.size() - std::string("/postgres").size());
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Runs argv[0] with argv as an unprivileged user, output to `log`. With
// `detach` it returns the child's pid at once (a new session, so it outlives a
// fixture process); otherwise it waits and returns the exit status (or -1).
pid_t Spawn(const std::vector<std::string>& args, const std::string& log, bool detach,
            uid_t uid, gid_t gid, bool drop) {
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_t pid = ::fork();
  if (pid < 0) return -1;
  if (pid == 0) {
    if (detach) ::setsid();
    int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd >= 0) {
      ::dup2(fd, 1);
      ::dup2(fd, 2);
    }
    int null = ::open("/dev/null", O_RDONLY);
    if (null >= 0) ::dup2(null, 0);
    if (drop && (::setgid(gid) != 0 || ::setuid(uid) != 0)) ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  if (detach) return pid;
  int status = 0;
  if (::waitpid(pid, &status, 0) != pid) return -1;
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool ProcessAlive(pid_t pid) { return ::kill(pid, 0) == 0; }

}  // namespace

bool PostgresServer::Start(std::string* error) {
  const std::string bin = BinDir();
  if (bin.empty()) {
    *error =
        "PostgreSQL server not installed (no /usr/lib/postgresql/*/bin/postgres); "
        "run scripts/install-deps.sh";
    return false;
  }
  std::string templ = "/tmp/keyward-pg-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {
    *error = "mkdtemp failed";
    return false;
  }
  dir_ = templ;
  // initdb refuses to run as root: run the server as the postgres account then.
  const bool drop = ::geteuid() == 0;
  uid_t uid = ::geteuid();
  gid_t gid = ::getegid();
  if (drop) {
    const passwd* pw = ::getpwnam("postgres");
    if (pw == nullptr) {
      *error = "running as root and there is no postgres user to run PostgreSQL as";
      return false;
    }
    uid = pw->pw_uid;
    gid = pw->pw_gid;
    if (::chown(dir_.c_str(), uid, gid) != 0) {
      *error = "cannot chown " + dir_;
      return false;
    }
  }
  const std::string data = dir_ + "/data";
  const std::string log = dir_ + "/server.log";
  int rc = Spawn({bin + "/initdb", "-D", data, "-A", "trust", "-U", "keyward",
                  "--no-sync", "-E", "UTF8", "--locale=C"},
                 log, /*detach=*/false, uid, gid, drop);
  if (rc != 0) {
    *error = "initdb failed (" + std::to_string(rc) + "): " + ReadFile(log);
    return false;
  }
  bin_ = bin;
  uid_ = uid;
  gid_ = gid;
  drop_ = drop;
  port_ = FreePort();
  admin_url_ = "postgresql://keyward@127.0.0.1:" + std::to_string(port_) + "/postgres";
  return Launch(error);
}

bool PostgresServer::Launch(std::string* error) {
  const std::string data = dir_ + "/data";
  const std::string log = dir_ + "/server.log";
  pid_ = Spawn({bin_ + "/postgres", "-D", data, "-p", std::to_string(port_), "-c",
                "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=" + dir_,
                "-c", "fsync=off", "-c", "synchronous_commit=off", "-c",
                "full_page_writes=off", "-c", "max_connections=300"},
               log, /*detach=*/true, uid_, gid_, drop_);
  if (pid_ < 0) {
    *error = "cannot start postgres";
    return false;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (PQping(admin_url_.c_str()) != PQPING_OK) {
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_ ||
        std::chrono::steady_clock::now() > deadline) {
      *error = "postgres did not come up: " + ReadFile(log);
      return false;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return true;
}

bool PostgresServer::Pause(std::string* error) {
  if (pid_ <= 0) {
    *error = "not running";
    return false;
  }
  ::kill(pid_, SIGINT);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return true;
}

bool PostgresServer::Resume(std::string* error) { return Launch(error); }

void PostgresServer::Stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGINT);  // fast shutdown: no waiting for clients
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    dir_.clear();
  }
}

void PostgresServer::StopDetached(const std::string& dir) {
  // postmaster.pid's first line is the postmaster's pid.
  std::ifstream pidfile(dir + "/data/postmaster.pid");
  long pid = 0;
  if (pidfile >> pid && pid > 0) {
    ::kill(static_cast<pid_t>(pid), SIGINT);
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
    while (ProcessAlive(static_cast<pid_t>(pid)) &&
           std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    if (ProcessAlive(static_cast<pid_t>(pid))) ::kill(static_cast<pid_t>(pid), SIGKILL);
  }
  std::error_code ignored;
  std::filesystem::remove_all(dir, ignored);
}

const std::string& PostgresServer::SharedUrl() {
  static const std::string* url = [] {
    std::string error;
    if (const char* file = std::getenv("KEYWARD_TEST_PG_URL_FILE")) {
      std::ifstream in(file);
      std::string line;
      if (std::getline(in, line) && !line.empty()) return new std::string(line);
      std::fprintf(stderr,
                   "KEYWARD_TEST_PG_URL_FILE=%s names no running server (did "
                   "the pg_fixture_start test fail?)\n",
                   file);
      std::abort();
    }
    // Leaked on purpose: stopped by the atexit hook, after every test is done.
    static PostgresServer* own = new PostgresServer();
    if (!own->Start(&error)) {
      std::fprintf(stderr, "cannot start a private PostgreSQL: %s\n", error.c_str());
      own->Stop();
      std::abort();
    }
    std::atexit([] { own->Stop(); });
    return new std::string(own->admin_url());
  }();
  return *url;
}

std::string PostgresServer::CreateDatabase(const std::string& admin_url,
                                           std::string* error) {
  static std::atomic<int> counter{0};
  const std::string name =
      "kw_" + std::to_string(::getpid()) + "_" + std::to_string(counter.fetch_add(1)) +
      "_" +
      std::to_string(std::chrono::steady_clock::now().time_since_epoch().count() %
                     1000000);
  PGconn* conn = PQconnectdb(admin_url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    *error = PQerrorMessage(conn);
    PQfinish(conn);
    return "";
  }
  PGresult* res = PQexec(conn, ("CREATE DATABASE " + name).c_str());
  const bool ok = PQresultStatus(res) == PGRES_COMMAND_OK;
  if (!ok) *error = PQresultErrorMessage(res);
  PQclear(res);
  PQfinish(conn);
  if (!ok) return "";
  return admin_url.substr(0, admin_url.rfind('/') + 1) + name;
}

}  // namespace keyward::testing
