#include "keyward/core/outcome.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

#include "core/test_printers.h"

namespace keyward::core {
namespace {

struct OutcomeCase {
  Outcome outcome;
  std::string name;
  int status;
};

class OutcomeTest : public ::testing::TestWithParam<OutcomeCase> {};

TEST_P(OutcomeTest, HasTheContractCodeAndStatus) {
  EXPECT_EQ(OutcomeName(GetParam().outcome), GetParam().name);
  EXPECT_EQ(OutcomeHttpStatus(GetParam().outcome), GetParam().status);
}

INSTANTIATE_TEST_SUITE_P(
    ContractTable, OutcomeTest,
    ::testing::Values(OutcomeCase{Outcome::kValid, "VALID", 200},
                      OutcomeCase{Outcome::kMalformed, "MALFORMED", 401},
                      OutcomeCase{Outcome::kNotFound, "NOT_FOUND", 401},
                      OutcomeCase{Outcome::kRevoked, "REVOKED", 401},
                      OutcomeCase{Outcome::kExpired, "EXPIRED", 401},
                      OutcomeCase{Outcome::kDisabled, "DISABLED", 401},
                      OutcomeCase{Outcome::kOwnerDisabled, "OWNER_DISABLED", 401},
                      OutcomeCase{Outcome::kForbiddenIp, "FORBIDDEN_IP", 403},
                      OutcomeCase{Outcome::kInsufficientScope, "INSUFFICIENT_SCOPE", 403},
                      OutcomeCase{Outcome::kRateLimited, "RATE_LIMITED", 429},
                      OutcomeCase{Outcome::kUsageExceeded, "USAGE_EXCEEDED", 429}));

TEST(OutcomeTest, AllOutcomesHaveDistinctNames) {
  std::set<std::string_view> names;
  for (const Outcome o : kAllOutcomes) names.insert(OutcomeName(o));
  EXPECT_EQ(names.size(), kOutcomeCount);
  EXPECT_EQ(names.count("UNKNOWN"), 0U);
}

}  // namespace
}  // namespace keyward::core
