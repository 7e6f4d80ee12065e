#include "keyward/service/data_dir.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include <sodium.h>

namespace keyward::service {
namespace {

Error SysError(const std::string& what, const std::string& path) {
  return Error::Internal(what + " '" + path + "': " + std::strerror(errno));
}

}  // namespace

bool FileExists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

Status EnsurePrivateDir(const std::string& dir) {
  std::error_code ec;
  if (std::filesystem::is_directory(dir, ec)) return OkStatus();
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Error::Internal("cannot create directory '" + dir + "': " + ec.message());
  if (::chmod(dir.c_str(), 0700) != 0) return SysError("cannot chmod", dir);
  return OkStatus();
}

Status WriteSecretFile(const std::string& path, const std::string& contents) {
  // O_EXCL + mode 0600 at creation: the file is never readable by others, not even
  // for the moment between create and chmod.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return SysError("cannot create", path);
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      Error e = SysError("cannot write", path);
      ::close(fd);
      ::unlink(path.c_str());
      return e;
    }
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0) return SysError("cannot sync", path);
  return OkStatus();
}

Result<Digest> LoadOrCreatePepper(const std::string& path, core::RandomSource& random) {
  Digest pepper{};
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd >= 0) {
    ssize_t n = ::read(fd, pepper.data(), pepper.size());
    char extra;
    ssize_t more = ::read(fd, &extra, 1);
    ::close(fd);
    if (n != static_cast<ssize_t>(pepper.size()) || more != 0) {
      return Error::Internal("pepper file '" + path + "' must hold exactly 32 bytes");
    }
    return pepper;
  }
  if (errno != ENOENT) return SysError("cannot read", path);
  random.Fill(pepper);
  std::string bytes(reinterpret_cast<const char*>(pepper.data()), pepper.size());
  Status s = WriteSecretFile(path, bytes);
  sodium_memzero(bytes.data(), bytes.size());
  if (!s.ok()) return s.error();
  return pepper;
}

}  // namespace keyward::service
