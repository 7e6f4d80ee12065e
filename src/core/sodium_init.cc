#include "sodium_init.h"

#include <sodium.h>

#include <cstdio>
#include <cstdlib>

namespace keyward::core::internal {

void EnsureSodiumInitialized() {
  // A function-local static gives the once-only, thread-safe guarantee for free.
  static const bool initialised = [] {
    if (sodium_init() < 0) {
      std::fputs("keyward: libsodium failed to initialise\n", stderr);
      std::abort();
    }
    return true;
  }();
  (void)initialised;
}

}  // namespace keyward::core::internal
