// Private to core/: one-time libsodium initialisation shared by every user of it.
#ifndef KEYWARD_SRC_CORE_SODIUM_INIT_H_
#define KEYWARD_SRC_CORE_SODIUM_INIT_H_

namespace keyward::core::internal {

// Calls sodium_init() exactly once per process (thread-safe) and aborts if libsodium
// cannot start: without a working CSPRNG no key may be issued, so failing closed at
// start-up is the only safe answer.
void EnsureSodiumInitialized();

}  // namespace keyward::core::internal

#endif  // KEYWARD_SRC_CORE_SODIUM_INIT_H_
