// No issued key string may reach the database, the WAL, any other file in the data
// dir (but the bootstrap file and --out files, which exist to hold one), or the log.
#include <filesystem>

#include "server_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class SecretsTest : public ServerTest {};

TEST_F(SecretsTest, NoIssuedKeyInDataDirOrLog) {
  std::vector<std::string> issued = {admin_key_};
  for (int i = 0; i < 5; ++i) {
    json k = CreateKey({{"name", "s" + std::to_string(i)}, {"scopes", {"a:b"}}});
    issued.push_back(k["key"]);
    VerifyKey(k["key"], {"a:b"});
    Do("GET", "/v1/me", k["key"]);
  }
  json rotated = Json(
      Do("POST",
         "/v1/keys/" + CreateKey({{"name", "r"}})["id"].get<std::string>() + "/rotate",
         admin_key_));
  issued.push_back(rotated["key"]);
  Do("POST", "/v1/keys", "", {{"name", "x"}},
     {{"X-API-Key", issued[1]}, {"Authorization", "Bearer " + issued[2]}});
  CliResult cli = RunCli(
      {"keys", "create", "--data-dir", data_dir(), "--owner", "admin", "--name", "cli"});
  ASSERT_EQ(cli.exit_code, 0);
  issued.push_back(cli.out.substr(0, cli.out.size() - 1));
  ASSERT_EQ(StopServer(), 0);  // flushes usage: the WAL and db hold everything now

  std::vector<std::string> scanned;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_dir())) {
    if (!entry.is_regular_file()) continue;
    const std::string path = entry.path().string();
    if (entry.path().filename() == "bootstrap-admin.key") continue;
    const std::string bytes = ReadFile(path);
    scanned.push_back(path);
    for (const auto& key : issued) {
      EXPECT_EQ(bytes.find(key), std::string::npos) << "key found in " << path;
      // Not even the secret part without the prefix.
      EXPECT_EQ(bytes.find(key.substr(12)), std::string::npos)
          << "secret part in " << path;
    }
  }
  EXPECT_GE(scanned.size(), 2u);  // at least keyward.db and pepper
  const std::string log = server_->log();
  EXPECT_FALSE(log.empty());
  for (const auto& key : issued) {
    EXPECT_EQ(log.find(key.substr(12)), std::string::npos) << "key material in the log";
  }
}

}  // namespace
}  // namespace keyward::testing
