// FUZZ_CHECK: a property check for libFuzzer targets. It aborts (so libFuzzer
// records the input as a crash) instead of throwing, and it stays on in every build
// type, unlike assert().
#ifndef KEYWARD_TESTS_FUZZ_FUZZ_CHECK_H_
#define KEYWARD_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(cond)                                                               \
  do {                                                                                 \
    if (!(cond)) {                                                                     \
      std::fprintf(stderr, "%s:%d: property failed: %s\n", __FILE__, __LINE__, #cond); \
      std::abort();                                                                    \
    }                                                                                  \
  } while (0)

#endif  // KEYWARD_TESTS_FUZZ_FUZZ_CHECK_H_
