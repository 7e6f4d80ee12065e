// Test helpers: a private temporary directory, and a free TCP port.
//
// TempDir creates a fresh directory (mode 0700) under /tmp and removes it with
// everything inside when destroyed. Thread-safety: a TempDir is not shared between
// threads; FreePort may be called from any thread.
#ifndef KEYWARD_TESTS_SUPPORT_TEMP_DIR_H_
#define KEYWARD_TESTS_SUPPORT_TEMP_DIR_H_

#include <cstdint>
#include <string>

namespace keyward::testing {

class TempDir {
 public:
  TempDir();  // aborts the test binary if /tmp is unusable
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path() + "/" + name
  std::string File(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

// A TCP port on 127.0.0.1 that was free a moment ago. Prefer port 0 where the code
// under test reports the bound port; this is for processes that cannot.
std::uint16_t FreePort();

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_SUPPORT_TEMP_DIR_H_
