// Starting a child process from a test that may have many threads.
//
// After fork() in a multi-threaded process the child holds a copy of every lock
// another thread held at that moment, and only the forking thread runs: a child
// that allocates before exec can wait forever on the allocator's lock. That hung a
// ReplicasTest replica under ASan (three replicas forked from three threads; the
// child never reached exec, so its log stayed empty). So everything the child needs
// is built here, before the fork, and the child calls only async-signal-safe
// functions (open, dup2, setsid, execve, _exit).
#ifndef KEYWARD_TESTS_SUPPORT_SPAWN_H_
#define KEYWARD_TESTS_SUPPORT_SPAWN_H_

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace keyward::testing {

struct SpawnOptions {
  std::vector<std::string> argv;  // argv[0] is the program's path
  // The child's environment; unset: the parent's.
  std::optional<std::vector<std::string>> env;
  std::string stdin_path = "/dev/null";
  std::string stdout_path = "/dev/null";
  std::string stderr_path = "/dev/null";  // may equal stdout_path (one file)
  bool append = false;       // append to the output files instead of truncating them
  bool new_session = false;  // setsid(): the child outlives the test's session
};

// Starts the child; returns its pid, or -1 if fork failed. A child that cannot open
// a file or exec exits with 126 or 127.
pid_t SpawnProcess(const SpawnOptions& options);

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_SUPPORT_SPAWN_H_
