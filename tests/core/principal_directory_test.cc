#include "keyward/core/principal_directory.h"

#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

namespace keyward::core {
namespace {

UserRecord User(std::string id, std::vector<std::string> permissions) {
  UserRecord user;
  user.id = std::move(id);
  user.username = "u_" + user.id;
  user.org_id = "org_1";
  user.permissions = std::move(permissions);
  return user;
}

TEST(PrincipalDirectoryTest, FindsUpsertedUsersAndOrgs) {
  PrincipalDirectory directory;
  directory.UpsertUser(User("usr_1", {"logs:read"}));
  OrgRecord org;
  org.id = "org_1";
  org.name = "default";
  directory.UpsertOrg(org);

  const auto user = directory.FindUser("usr_1");
  ASSERT_NE(user, nullptr);
  EXPECT_EQ(user->permissions, std::vector<std::string>{"logs:read"});
  ASSERT_NE(directory.FindOrg("org_1"), nullptr);
  EXPECT_EQ(directory.FindOrg("org_1")->name, "default");
  EXPECT_EQ(directory.FindUser("usr_2"), nullptr);
  EXPECT_EQ(directory.FindOrg("org_2"), nullptr);
  // Users and orgs live in separate namespaces.
  EXPECT_EQ(directory.FindOrg("usr_1"), nullptr);
}

TEST(PrincipalDirectoryTest, UpsertReplacesWithoutChangingHeldRecords) {
  PrincipalDirectory directory;
  directory.UpsertUser(User("usr_1", {"*"}));
  const auto before = directory.FindUser("usr_1");
  directory.UpsertUser(User("usr_1", {}));
  EXPECT_TRUE(directory.FindUser("usr_1")->permissions.empty());
  EXPECT_EQ(before->permissions, std::vector<std::string>{"*"});
}

TEST(PrincipalDirectoryTest, RemoveForgetsTheRecord) {
  PrincipalDirectory directory;
  directory.UpsertUser(User("usr_1", {}));
  OrgRecord org;
  org.id = "org_1";
  directory.UpsertOrg(org);
  directory.RemoveUser("usr_1");
  directory.RemoveOrg("org_1");
  directory.RemoveUser("usr_missing");
  EXPECT_EQ(directory.FindUser("usr_1"), nullptr);
  EXPECT_EQ(directory.FindOrg("org_1"), nullptr);
}

TEST(PrincipalDirectoryTest, ReadersRunAlongsideAWriter) {
  PrincipalDirectory directory;
  directory.UpsertUser(User("usr_stable", {"*"}));
  std::atomic<bool> stop{false};
  std::atomic<int> misses{0};
  std::thread reader([&] {
    while (!stop) {
      if (directory.FindUser("usr_stable") == nullptr) ++misses;
    }
  });
  for (int i = 0; i < 5000; ++i) {
    directory.UpsertUser(User("usr_" + std::to_string(i % 50), {}));
    directory.UpsertUser(User("usr_stable", {"*"}));
  }
  stop = true;
  reader.join();
  EXPECT_EQ(misses.load(), 0);
}

}  // namespace
}  // namespace keyward::core
