#include "nginx_process.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
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

std::string FindNginx() {
  for (const char* path : {"/usr/sbin/nginx", "/usr/bin/nginx", "/usr/local/sbin/nginx",
                           "/usr/local/nginx/sbin/nginx"}) {
    if (access(path, X_OK) == 0) return path;
  }
  return "";
}

std::uint16_t FreeLoopbackPort() {
  const int fd = socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return 0;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  std::uint16_t port = 0;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

NginxProcess::NginxProcess(std::string binary, std::string dir, std::string config)
    : binary_(std::move(binary)), dir_(std::move(dir)), config_(std::move(config)) {}

NginxProcess::~NginxProcess() { Stop(); }

std::string NginxProcess::error_log() const { return ReadFile(dir_ + "/error.log"); }

bool NginxProcess::Start(std::uint16_t port, std::string* error) {
  const std::string prefix = dir_ + "/";
  // pid and error log in the temp dir: never the system's.
  std::vector<std::string> args = {binary_,
                                   "-p",
                                   prefix,
                                   "-c",
                                   config_,
                                   "-e",
                                   dir_ + "/error.log",
                                   "-g",
                                   "daemon off; pid " + dir_ + "/nginx.pid;"};
  SpawnOptions spawn;
  spawn.argv = std::move(args);
  spawn.stderr_path = dir_ + "/stderr.log";
  spawn.append = true;
  pid_ = SpawnProcess(spawn);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    std::string ignored;
    const int fd = ConnectTcp("127.0.0.1", port, 1, &ignored);
    if (fd >= 0) {
      close(fd);
      return true;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (error) {
    *error = "nginx did not start; stderr:\n" + ReadFile(dir_ + "/stderr.log") +
             "\nerror.log:\n" + error_log();
  }
  Stop();
  return false;
}

void NginxProcess::Stop() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);  // fast shutdown; the master stops its workers
  int status = 0;
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  pid_ = -1;
}

}  // namespace keyward::testing
