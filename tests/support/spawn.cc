#include "support/spawn.h"

#include <fcntl.h>
#include <unistd.h>

extern "C" char** environ;

namespace keyward::testing {
namespace {

std::vector<char*> Pointers(const std::vector<std::string>& strings) {
  std::vector<char*> out;
  out.reserve(strings.size() + 1);
  for (const std::string& s : strings) out.push_back(const_cast<char*>(s.c_str()));
  out.push_back(nullptr);
  return out;
}

}  // namespace

pid_t SpawnProcess(const SpawnOptions& options) {
  // Built before the fork: see spawn.h.
  std::vector<char*> argv = Pointers(options.argv);
  std::vector<char*> envp;
  if (options.env) envp = Pointers(*options.env);
  char* const* env = options.env ? envp.data() : environ;
  const char* in_path = options.stdin_path.c_str();
  const char* out_path = options.stdout_path.c_str();
  const char* err_path = options.stderr_path.c_str();
  const bool same_file = options.stdout_path == options.stderr_path;
  const int out_flags = O_WRONLY | O_CREAT | (options.append ? O_APPEND : O_TRUNC);
  const bool new_session = options.new_session;

  const pid_t pid = ::fork();
  if (pid != 0) return pid;
  // The child: async-signal-safe calls only.
  if (new_session) ::setsid();
  const int in = ::open(in_path, O_RDONLY);
  const int out = ::open(out_path, out_flags, 0600);
  const int err = same_file ? out : ::open(err_path, out_flags, 0600);
  if (in < 0 || out < 0 || err < 0) ::_exit(126);
  ::dup2(in, 0);
  ::dup2(out, 1);
  ::dup2(err, 2);
  if (in > 2) ::close(in);
  if (out > 2) ::close(out);
  if (err > 2 && err != out) ::close(err);
  ::execve(argv[0], argv.data(), env);
  ::_exit(127);
}

}  // namespace keyward::testing
