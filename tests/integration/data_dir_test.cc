// Attack review findings 6, 10 and 11 (issue 7): one server per data dir, a loose
// data dir is tightened, and `keys create --out` never leaves a key nobody holds.
#include <sys/stat.h>

#include <fstream>

#include "server_test.h"

namespace keyward::testing {
namespace {

using DataDirTest = ServerTest;

TEST_F(DataDirTest, ASecondServerOnTheSameDataDirRefusesToStart) {
  KeywardProcess::Options o = ServerOptions();
  KeywardProcess second(o);
  std::string error;
  EXPECT_FALSE(second.Start(&error));
  EXPECT_EQ(second.Stop(), 2) << second.log();
  const std::string log = second.log();
  EXPECT_NE(log.find(data_dir()), std::string::npos) << log;
  EXPECT_NE(log.find("pid " + std::to_string(server_->pid())), std::string::npos) << log;
  // The first server is untouched, and the local CLI still works beside it.
  EXPECT_EQ(Do("GET", "/healthz", "").status, 200);
  EXPECT_EQ(RunCli({"keys", "list", "--data-dir", data_dir()}).exit_code, 0);
  // Once the first stops, the data dir is free again (no stale lock).
  ASSERT_EQ(StopServer(), 0);
  KeywardProcess third(o);
  ASSERT_TRUE(third.Start(&error)) << error;
  EXPECT_EQ(third.Stop(), 0);
}

TEST_F(DataDirTest, ALooseDataDirIsTightenedAtStart) {
  ASSERT_EQ(StopServer(), 0);
  ASSERT_EQ(::chmod(data_dir().c_str(), 0777), 0);
  KeywardProcess again(ServerOptions());
  std::string error;
  ASSERT_TRUE(again.Start(&error)) << error;
  struct stat st;
  ASSERT_EQ(::stat(data_dir().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  EXPECT_NE(again.log().find("tightened"), std::string::npos);
  EXPECT_EQ(again.Stop(), 0);
}

TEST_F(DataDirTest, CreateOutToAnExistingFileMintsNoKey) {
  const std::string existing = dir_.File("taken.key");
  { std::ofstream(existing) << "keep me\n"; }
  auto before = RunCli({"keys", "list", "--data-dir", data_dir(), "--json"});
  ASSERT_EQ(before.exit_code, 0) << before.err;
  auto r = RunCli({"keys", "create", "--data-dir", data_dir(), "--owner", "admin",
                   "--name", "lost", "--out", existing});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_EQ(ReadFile(existing), "keep me\n");
  auto after = RunCli({"keys", "list", "--data-dir", data_dir(), "--json"});
  EXPECT_EQ(nlohmann::json::parse(after.out).size(),
            nlohmann::json::parse(before.out).size());
  // An unwritable directory is found out before the key exists, too.
  auto nodir = RunCli({"keys", "create", "--data-dir", data_dir(), "--owner", "admin",
                       "--name", "lost", "--out", dir_.File("missing/dir/k")});
  EXPECT_NE(nodir.exit_code, 0);
  auto still = RunCli({"keys", "list", "--data-dir", data_dir(), "--json"});
  EXPECT_EQ(nlohmann::json::parse(still.out).size(),
            nlohmann::json::parse(before.out).size());
}

}  // namespace
}  // namespace keyward::testing
