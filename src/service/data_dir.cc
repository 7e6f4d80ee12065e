#include "keyward/service/data_dir.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <utility>

#include <sodium.h>
#include <spdlog/spdlog.h>

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
  if (std::filesystem::is_directory(dir, ec)) {
    struct stat st;
    if (::stat(dir.c_str(), &st) != 0) return SysError("cannot stat", dir);
    if ((st.st_mode & 077) != 0) {
      if (::chmod(dir.c_str(), 0700) != 0) return SysError("cannot chmod", dir);
      spdlog::warn("data dir permissions: tightened '{}' from {:o} to 700", dir,
                   st.st_mode & 0777);
    }
    return OkStatus();
  }
  std::filesystem::create_directories(dir, ec);
  if (ec)
    return Error::Internal("cannot create directory '" + dir + "': " + ec.message());
  if (::chmod(dir.c_str(), 0700) != 0) return SysError("cannot chmod", dir);
  return OkStatus();
}

Result<SecretFile> SecretFile::Create(const std::string& path) {
  // O_EXCL + mode 0600 at creation: the file is never readable by others, not even
  // for the moment between create and chmod, and an existing file is never touched.
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return SysError("cannot create", path);
  return SecretFile(path, fd);
}

SecretFile::~SecretFile() {
  if (fd_ < 0) return;
  ::close(fd_);
  ::unlink(path_.c_str());  // never committed: nothing half-written stays behind
}

Status SecretFile::Commit(const std::string& contents) {
  size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd_, contents.data() + done, contents.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return SysError("cannot write", path_);
    done += static_cast<size_t>(n);
  }
  if (::fsync(fd_) != 0) return SysError("cannot sync", path_);
  const int fd = std::exchange(fd_, -1);
  if (::close(fd) != 0) return SysError("cannot close", path_);
  return OkStatus();
}

Status WriteSecretFile(const std::string& path, const std::string& contents) {
  auto file = SecretFile::Create(path);
  RETURN_IF_ERROR(file);
  return file->Commit(contents);
}

Result<std::unique_ptr<DataDirLock>> DataDirLock::Acquire(const DataDir& dir) {
  const std::string path = dir.lock_path();
  int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0) return SysError("cannot open", path);
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    char buf[32] = {};
    const ssize_t n = ::pread(fd, buf, sizeof(buf) - 1, 0);
    ::close(fd);
    if (err != EWOULDBLOCK) {
      errno = err;
      return SysError("cannot lock", path);
    }
    std::string pid = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "unknown";
    while (!pid.empty() && (pid.back() == '\n' || pid.back() == ' ')) pid.pop_back();
    return Error::Conflict("data dir '" + dir.root +
                               "' is held by a running keyward server (pid " + pid + ")",
                           ErrorCause::kLocked);
  }
  const std::string pid = std::to_string(::getpid()) + "\n";
  if (::ftruncate(fd, 0) != 0 ||
      ::pwrite(fd, pid.data(), pid.size(), 0) != static_cast<ssize_t>(pid.size())) {
    ::close(fd);
    return SysError("cannot write", path);
  }
  return std::unique_ptr<DataDirLock>(new DataDirLock(fd));
}

DataDirLock::~DataDirLock() { ::close(fd_); }

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
  RETURN_IF_ERROR(s);
  return pepper;
}

}  // namespace keyward::service
