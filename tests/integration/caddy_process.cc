#include "caddy_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <thread>
#include <vector>

#include "keyward_process.h"
#include "support/socket_util.h"
#include "support/spawn.h"

namespace keyward::testing {

std::string FindCaddy() {
  for (const char* path : {"/usr/bin/caddy", "/usr/local/bin/caddy"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

CaddyProcess::CaddyProcess(std::string binary, std::string dir, std::string caddyfile)
    : binary_(std::move(binary)),
      dir_(std::move(dir)),
      caddyfile_(std::move(caddyfile)) {}

CaddyProcess::~CaddyProcess() { Stop(); }

std::string CaddyProcess::log() const { return ReadFile(dir_ + "/caddy.log"); }

bool CaddyProcess::Start(std::initializer_list<std::uint16_t> ports, std::string* error) {
  std::vector<std::string> args = {binary_,    "run",       "--config",
                                   caddyfile_, "--adapter", "caddyfile"};
  // Caddy keeps certificates and autosaved config under HOME/XDG dirs.
  std::vector<std::string> env = {"HOME=" + dir_, "XDG_DATA_HOME=" + dir_ + "/data",
                                  "XDG_CONFIG_HOME=" + dir_ + "/config",
                                  "PATH=/usr/bin:/bin"};
  SpawnOptions spawn;
  spawn.argv = std::move(args);
  spawn.env = std::move(env);
  spawn.stderr_path = dir_ + "/caddy.log";
  spawn.append = true;
  pid_ = SpawnProcess(spawn);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
  bool up = false;
  while (!up && std::chrono::steady_clock::now() < deadline) {
    up = true;
    for (std::uint16_t port : ports) {
      std::string ignored;
      const int fd = ConnectTcp("127.0.0.1", port, 1, &ignored);
      if (fd < 0) {
        up = false;
        break;
      }
      close(fd);
    }
    int status = 0;
    if (!up && waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (up) return true;
  if (error) *error = "caddy did not start; log:\n" + log();
  Stop();
  return false;
}

void CaddyProcess::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  // Caddy drains connections on SIGTERM; a test has no need to wait long for that.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  int status = 0;
  while (waitpid(pid_, &status, WNOHANG) == 0) {
    if (std::chrono::steady_clock::now() > deadline) {
      kill(pid_, SIGKILL);
      while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
      }
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  pid_ = -1;
}

}  // namespace keyward::testing
