#include "keyward_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <fstream>
#include <regex>
#include <sstream>
#include <thread>

#include "support/spawn.h"

extern "C" char** environ;

namespace keyward::testing {
namespace {

// The keyward binary with `args`, stdout/stderr to files; returns the child's pid.
pid_t Spawn(const std::vector<std::string>& args, const std::vector<std::string>& env,
            const std::string& out_path, const std::string& err_path) {
  SpawnOptions options;
  options.argv.push_back(KEYWARD_BINARY);
  options.argv.insert(options.argv.end(), args.begin(), args.end());
  std::vector<std::string> full_env;
  for (char** e = environ; *e; ++e) {
    std::string entry(*e);
    if (entry.rfind("KEYWARD_", 0) != 0)
      full_env.push_back(entry);  // tests set their own
  }
  full_env.insert(full_env.end(), env.begin(), env.end());
  options.env = std::move(full_env);
  options.stdout_path = out_path;
  options.stderr_path = err_path;
  return SpawnProcess(options);
}

int WaitExit(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return -1;
}

std::string TempPath(const std::string& stem) {
  static int counter = 0;
  return "/tmp/keyward-test-" + std::to_string(getpid()) + "-" +
         std::to_string(++counter) + "-" + stem;
}

}  // namespace

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

CliResult RunCli(const std::vector<std::string>& args,
                 const std::vector<std::string>& env) {
  const std::string out = TempPath("cli.out"), err = TempPath("cli.err");
  pid_t pid = Spawn(args, env, out, err);
  CliResult r;
  r.exit_code = WaitExit(pid);
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  unlink(out.c_str());
  unlink(err.c_str());
  return r;
}

KeywardProcess::KeywardProcess(Options options)
    : options_(std::move(options)), log_path_(TempPath("server.log")) {}

KeywardProcess::~KeywardProcess() {
  if (pid_ > 0) Stop(SIGKILL);
  unlink(log_path_.c_str());
}

bool KeywardProcess::Start(std::string* error) {
  std::vector<std::string> args = {"serve", "--data-dir", options_.data_dir, "--listen",
                                   "127.0.0.1:0"};
  if (!options_.tls) args.push_back("--insecure-http");
  args.insert(args.end(), options_.args.begin(), options_.args.end());
  pid_ = Spawn(args, options_.env, "/dev/null", log_path_);
  const std::regex listening(R"(listening on https?://127\.0\.0\.1:(\d+))");
  // The server listens before it loads its index (serve.cc); this line ends the load.
  const std::regex ready(R"(loaded \d+ keys from .* in [0-9.]+ s; ready)");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    std::smatch m;
    const std::string text = log();
    if (std::regex_search(text, m, listening)) {
      port_ = static_cast<std::uint16_t>(std::stoi(m[1]));
      if (!options_.wait_ready || std::regex_search(text, ready)) return true;
    }
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  if (error) *error = "keyward did not start; log:\n" + log();
  if (pid_ > 0) Stop(SIGKILL);
  return false;
}

int KeywardProcess::Stop(int sig) {
  if (pid_ <= 0) return exit_code_;
  kill(pid_, sig);
  int code = WaitExit(pid_);
  pid_ = -1;
  return code;
}

std::string KeywardProcess::BootstrapKey() const {
  std::string key = ReadFile(options_.data_dir + "/bootstrap-admin.key");
  if (!key.empty() && key.back() == '\n') key.pop_back();
  return key;
}

ClientResponse Call(HttpsClient& client, const std::string& method,
                    const std::string& target, const std::string& key,
                    const nlohmann::json& body, Headers extra) {
  Headers headers = std::move(extra);
  if (!key.empty()) headers.emplace_back("Authorization", "Bearer " + key);
  std::string payload;
  if (!body.is_null()) {
    headers.emplace_back("Content-Type", "application/json");
    payload = body.dump();
  }
  return client.Send(method, target, headers, payload);
}

bool ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  bool found = false;
  for (size_t at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
    found = true;
  }
  return found;
}

nlohmann::json Json(const ClientResponse& r) {
  return nlohmann::json::parse(r.body, nullptr, /*allow_exceptions=*/false);
}

}  // namespace keyward::testing
