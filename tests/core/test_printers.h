// GoogleTest printers so failures show "NOT_FOUND" rather than raw bytes.
#ifndef KEYWARD_TESTS_CORE_TEST_PRINTERS_H_
#define KEYWARD_TESTS_CORE_TEST_PRINTERS_H_

#include <ostream>

#include "keyward/core/outcome.h"

namespace keyward::core {

inline void PrintTo(Outcome outcome, std::ostream* os) { *os << OutcomeName(outcome); }

}  // namespace keyward::core

#endif  // KEYWARD_TESTS_CORE_TEST_PRINTERS_H_
