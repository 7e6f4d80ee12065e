// Private: the memory a connection's request head is parsed into.
//
// Beast's field list allocates a node per field, and its method and target storage,
// all freed again when the request is done: a few heap round trips per request on
// the hot path (one malloc and free is ~150 instructions). The arena hands out
// that memory from a block in the session instead, and forgets it all at once when
// the next request starts. A head that outgrows the block (large gateway requests)
// spills to the heap, freed as usual, so the arena never bounds what is accepted.
#ifndef KEYWARD_SRC_HTTP_REQUEST_ARENA_H_
#define KEYWARD_SRC_HTTP_REQUEST_ARENA_H_

#include <cstddef>
#include <cstdint>
#include <new>

namespace keyward::http::internal {

class RequestArena {
 public:
  // Room for a typical head: a dozen fields with their nodes.
  static constexpr std::size_t kBytes = 2048;

  RequestArena() = default;
  RequestArena(const RequestArena&) = delete;
  RequestArena& operator=(const RequestArena&) = delete;

  void* Allocate(std::size_t n, std::size_t align) {
    const std::size_t at = (used_ + align - 1) & ~(align - 1);
    // (at < kBytes: even an empty allocation must point into the block, or
    // Deallocate would hand the heap a pointer just past it.)
    if (align <= alignof(std::max_align_t) && at < kBytes && n <= kBytes - at) {
      used_ = at + n;
      return block_ + at;
    }
    return ::operator new(n, std::align_val_t(align));
  }
  void Deallocate(void* p, std::size_t align) {
    // Memory from the block is only ever given back all at once, by Reset().
    if (Owns(p)) return;
    ::operator delete(p, std::align_val_t(align));
  }
  // Only when nothing allocated from the block is in use any more.
  void Reset() { used_ = 0; }
  std::size_t used() const { return used_; }

 private:
  bool Owns(const void* p) const {
    const auto a = reinterpret_cast<std::uintptr_t>(p);
    const auto b = reinterpret_cast<std::uintptr_t>(block_);
    return a >= b && a < b + kBytes;
  }

  alignas(std::max_align_t) std::byte block_[kBytes];
  std::size_t used_ = 0;
};

// A standard allocator over a RequestArena, for Beast's basic_fields.
template <class T>
class ArenaAllocator {
 public:
  using value_type = T;

  explicit ArenaAllocator(RequestArena& arena) noexcept : arena_(&arena) {}
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>& other) noexcept  // NOLINT: rebinding
      : arena_(other.arena()) {}

  T* allocate(std::size_t n) {
    if (n > static_cast<std::size_t>(-1) / sizeof(T)) throw std::bad_array_new_length();
    return static_cast<T*>(arena_->Allocate(n * sizeof(T), alignof(T)));
  }
  void deallocate(T* p, std::size_t) noexcept { arena_->Deallocate(p, alignof(T)); }

  RequestArena* arena() const noexcept { return arena_; }
  template <class U>
  bool operator==(const ArenaAllocator<U>& other) const noexcept {
    return arena_ == other.arena();
  }

 private:
  RequestArena* arena_;
};

}  // namespace keyward::http::internal

#endif  // KEYWARD_SRC_HTTP_REQUEST_ARENA_H_
