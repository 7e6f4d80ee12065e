// LineBuffer: the bytes of a response's header lines (Fields), appended at the end.
//
// Like a std::string, but it grows without first zero-filling the room the caller
// is about to write (std::string::resize does, for every field added), and it
// holds no terminating NUL. Thread-compatible.
#ifndef KEYWARD_HTTP_LINE_BUFFER_H_
#define KEYWARD_HTTP_LINE_BUFFER_H_

#include <algorithm>
#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <utility>

namespace keyward::http {

class LineBuffer {
 public:
  LineBuffer() = default;
  LineBuffer(const LineBuffer& other) { *this = other; }
  LineBuffer& operator=(const LineBuffer& other) {
    if (this == &other) return *this;
    size_ = 0;
    if (other.size_ > capacity_) Grow(other.size_);
    if (other.size_ > 0) std::memcpy(data_.get(), other.data_.get(), other.size_);
    size_ = other.size_;
    return *this;
  }
  LineBuffer(LineBuffer&& other) noexcept
      : data_(std::move(other.data_)),
        size_(std::exchange(other.size_, 0)),
        capacity_(std::exchange(other.capacity_, 0)) {}
  LineBuffer& operator=(LineBuffer&& other) noexcept {
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
    return *this;
  }

  // Makes `n` more bytes part of the buffer and returns where they start: the
  // caller writes all of them before anything else reads the buffer.
  char* Append(std::size_t n) {
    if (capacity_ - size_ < n) Grow(size_ + n);
    char* at = data_.get() + size_;
    size_ += n;
    return at;
  }
  // Replaces the `n` bytes at `at` with `with`; the bytes after them move.
  void Replace(std::size_t at, std::size_t n, std::string_view with) {
    const std::size_t tail = size_ - at - n;
    if (with.size() > n && capacity_ - size_ < with.size() - n) {
      Grow(size_ + with.size() - n);
    }
    char* p = data_.get() + at;
    if (tail > 0) std::memmove(p + with.size(), p + n, tail);
    if (!with.empty()) std::memcpy(p, with.data(), with.size());
    size_ = size_ - n + with.size();
  }
  void clear() { size_ = 0; }

  std::size_t size() const { return size_; }
  std::string_view view() const { return {data_.get(), size_}; }

 private:
  // Most answers' lines fit the first block (about ten fields).
  static constexpr std::size_t kFirstBlock = 512;

  void Grow(std::size_t at_least) {
    const std::size_t capacity = std::max({at_least, 2 * capacity_, kFirstBlock});
    auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
    if (size_ > 0) std::memcpy(bigger.get(), data_.get(), size_);
    data_ = std::move(bigger);
    capacity_ = capacity;
  }

  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

}  // namespace keyward::http

#endif  // KEYWARD_HTTP_LINE_BUFFER_H_
