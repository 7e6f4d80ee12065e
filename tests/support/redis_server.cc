#include "support/redis_server.h"

#include <fcntl.h>
#include <hiredis.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "support/temp_dir.h"

namespace keyward::testing {
namespace {

constexpr const char* kRedisServer = "/usr/bin/redis-server";

bool Ping(int port) {
  timeval tv{1, 0};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
  if (c == nullptr) return false;
  bool ok = false;
  if (c->err == 0) {
    auto* r = static_cast<redisReply*>(redisCommand(c, "PING"));
    ok = r != nullptr && r->type == REDIS_REPLY_STATUS;
    if (r != nullptr) freeReplyObject(r);
  }
  redisFree(c);
  return ok;
}

void WaitGone(pid_t pid, bool child) {
  if (child) {
    int status = 0;
    ::waitpid(pid, &status, 0);
    return;
  }
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (::kill(pid, 0) == 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (::kill(pid, 0) == 0) ::kill(pid, SIGKILL);
}

}  // namespace

bool RedisServer::WaitReady(int port) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (!Ping(port)) {
    if (std::chrono::steady_clock::now() > deadline) return false;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return true;
}

std::string RedisServer::Url(int db) const {
  return "redis://127.0.0.1:" + std::to_string(port_) + "/" + std::to_string(db);
}

bool RedisServer::Start(std::string* error) {
  if (::access(kRedisServer, X_OK) != 0) {
    *error =
        "redis-server not installed (no /usr/bin/redis-server); run "
        "scripts/install-deps.sh";
    return false;
  }
  std::string templ = "/tmp/keyward-redis-XXXXXX";
  if (::mkdtemp(templ.data()) == nullptr) {
    *error = "mkdtemp failed";
    return false;
  }
  dir_ = templ;
  port_ = FreePort();
  return Launch(error);
}

bool RedisServer::Launch(std::string* error) {
  const std::vector<std::string> args = {kRedisServer,
                                         "--port",
                                         std::to_string(port_),
                                         "--bind",
                                         "127.0.0.1",
                                         "--save",
                                         "",
                                         "--appendonly",
                                         "no",
                                         "--dir",
                                         dir_,
                                         "--databases",
                                         "10000",
                                         "--daemonize",
                                         "no",
                                         "--protected-mode",
                                         "yes",
                                         "--logfile",
                                         dir_ + "/redis.log"};
  std::vector<char*> argv;
  for (const std::string& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  pid_ = ::fork();
  if (pid_ < 0) {
    *error = "fork failed";
    return false;
  }
  if (pid_ == 0) {
    ::setsid();  // outlives a fixture process
    int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
      ::dup2(null, 0);
      ::dup2(null, 1);
      ::dup2(null, 2);
    }
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  if (!WaitReady(port_)) {
    std::ifstream log(dir_ + "/redis.log");
    std::string text((std::istreambuf_iterator<char>(log)), {});
    *error = "redis-server did not come up: " + text;
    return false;
  }
  return true;
}

bool RedisServer::Pause(std::string* error) {
  if (pid_ <= 0) {
    *error = "not running";
    return false;
  }
  ::kill(pid_, SIGTERM);
  WaitGone(pid_, /*child=*/true);
  pid_ = -1;
  return true;
}

bool RedisServer::Resume(std::string* error) { return Launch(error); }

void RedisServer::Stop() {
  if (pid_ > 0) {
    ::kill(pid_, SIGTERM);
    WaitGone(pid_, /*child=*/true);
    pid_ = -1;
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
    dir_.clear();
  }
}

void RedisServer::StopDetached(pid_t pid, const std::string& dir) {
  if (pid > 0) {
    ::kill(pid, SIGTERM);
    WaitGone(pid, /*child=*/false);
  }
  std::error_code ignored;
  if (!dir.empty()) std::filesystem::remove_all(dir, ignored);
}

int RedisServer::SharedPort() {
  static const int port = [] {
    // The fixture's file: named, or beside the PostgreSQL fixture's (ctest passes
    // one variable, see CMakeLists.txt).
    std::string file;
    if (const char* f = std::getenv("KEYWARD_TEST_REDIS_FILE")) {
      file = f;
    } else if (const char* pg = std::getenv("KEYWARD_TEST_PG_URL_FILE")) {
      file = std::filesystem::path(pg).parent_path() / "test-redis.addr";
    }
    if (!file.empty()) {
      std::ifstream in(file);
      int p = 0;
      if (in >> p && p > 0) return p;
      std::fprintf(stderr,
                   "%s names no running redis-server (did the "
                   "redis_fixture_start test fail?)\n",
                   file.c_str());
      std::abort();
    }
    // Leaked on purpose: stopped by the atexit hook, after every test is done.
    static RedisServer* own = new RedisServer();
    std::string error;
    if (!own->Start(&error)) {
      std::fprintf(stderr, "cannot start a private redis-server: %s\n", error.c_str());
      std::abort();
    }
    std::atexit([] { own->Stop(); });
    return own->port();
  }();
  return port;
}

int RedisServer::NewDatabase() {
  // Database 0 holds the run's counter; INCR is atomic across test processes.
  const int port = SharedPort();
  timeval tv{2, 0};
  redisContext* c = redisConnectWithTimeout("127.0.0.1", port, tv);
  long long n = -1;
  if (c != nullptr && c->err == 0) {
    auto* r = static_cast<redisReply*>(redisCommand(c, "INCR keyward-test-databases"));
    if (r != nullptr && r->type == REDIS_REPLY_INTEGER) n = r->integer;
    if (r != nullptr) freeReplyObject(r);
  }
  if (c != nullptr) redisFree(c);
  if (n < 0) {
    std::fprintf(stderr, "cannot reach the test redis-server on port %d\n", port);
    std::abort();
  }
  return static_cast<int>(1 + (n - 1) % 9999);
}

}  // namespace keyward::testing
