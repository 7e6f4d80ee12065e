// Console password rules and Argon2id hashing (service/password.h).
#include "keyward/service/password.h"

#include <gtest/gtest.h>

#include <string>

namespace keyward::service {
namespace {

TEST(PasswordTest, RulesCountCharactersNotBytes) {
  struct Case {
    std::string password;
    bool ok;
  };
  const Case cases[] = {
      {"", false},
      {"elevenchars", false},
      {"twelve chars", true},
      {"ääääääääääää", true},  // 12 characters in 24 bytes
      {"ääääääääääa", false},  // 11 characters in 21 bytes
      {std::string(1024, 'x'), true},
      {std::string(1025, 'x'), false},
      {std::string("twelve\0chars", 12), false},
  };
  for (const auto& c : cases) {
    const Status s = CheckPasswordRules(c.password);
    EXPECT_EQ(s.ok(), c.ok) << c.password.size() << " bytes";
    if (!s.ok()) {
      ASSERT_FALSE(s.error().fields.empty());
      EXPECT_EQ(s.error().fields[0].field, "password");
      EXPECT_EQ(s.error().message.find(c.password.empty() ? "\x01" : c.password),
                std::string::npos);
    }
  }
}

TEST(PasswordTest, HashesAreArgon2idSaltedAndVerify) {
  auto a = HashPassword("correct horse battery");
  auto b = HashPassword("correct horse battery");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->rfind("$argon2id$v=19$m=65536,t=2,p=1$", 0), 0u) << *a;
  EXPECT_NE(*a, *b);  // a fresh salt each time
  EXPECT_TRUE(VerifyPassword(*a, "correct horse battery"));
  EXPECT_FALSE(VerifyPassword(*a, "correct horse batterY"));
  EXPECT_FALSE(VerifyPassword("not a hash", "correct horse battery"));
  EXPECT_FALSE(VerifyAgainstDummy("correct horse battery"));
}

}  // namespace
}  // namespace keyward::service
