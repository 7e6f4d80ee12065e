// ConfiguredServerTest: a ServerTest whose server reads a config file written from
// Config() (override it), for tests of trusted proxies, CORS, throttling and tiers.
#ifndef KEYWARD_TESTS_INTEGRATION_CONFIGURED_SERVER_TEST_H_
#define KEYWARD_TESTS_INTEGRATION_CONFIGURED_SERVER_TEST_H_

#include <fstream>
#include <string>

#include "keyward/core/key_format.h"
#include "keyward/core/random.h"
#include "server_test.h"

namespace keyward::testing {

class ConfiguredServerTest : public ServerTest {
 protected:
  virtual nlohmann::json Config() { return nlohmann::json::object(); }

  KeywardProcess::Options ServerOptions() override {
    KeywardProcess::Options o = ServerTest::ServerOptions();
    const std::string path = dir_.File("keyward.json");
    std::ofstream(path) << Config().dump(2);
    o.args = {"--config", path};
    return o;
  }

  // A well-formed key (right prefix and checksum) that no server has issued.
  static std::string UnknownKey() {
    core::SodiumRandom random;
    return core::KeyFormat("kw").Generate(random).key;
  }

  // The parts of a RateLimit field ("default";r=2;t=40) as numbers.
  static std::int64_t Param(const std::string& field, const std::string& name) {
    const std::string needle = ";" + name + "=";
    const size_t at = field.find(needle);
    if (at == std::string::npos) return -1;
    return std::stoll(field.substr(at + needle.size()));
  }
};

}  // namespace keyward::testing

#endif  // KEYWARD_TESTS_INTEGRATION_CONFIGURED_SERVER_TEST_H_
