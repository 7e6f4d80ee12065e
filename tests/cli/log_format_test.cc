#include "keyward/cli/log_format.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <nlohmann/json.hpp>

#include <sstream>

namespace keyward::cli {
namespace {

std::string LogLine(LogFormat format, const std::string& message) {
  std::ostringstream out;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  spdlog::logger logger("t", sink);
  logger.set_formatter(MakeLogFormatter(format));
  logger.info("request path {}", message);
  return out.str();
}

TEST(LogFormatTest, TextEscapesControlsAndQuotes) {
  const std::string line =
      LogLine(LogFormat::kText, "/x\n2026-01-01T00:00:00.000Z critical forged \"q\" \\");
  EXPECT_EQ(line.find('\n'), line.size() - 1) << line;  // one line only
  EXPECT_NE(line.find("\\x0a2026"), std::string::npos) << line;
  EXPECT_NE(line.find("\\\"q\\\" \\\\"), std::string::npos) << line;
}

TEST(LogFormatTest, JsonIsAlwaysOneValidObject) {
  for (const std::string& m :
       {std::string("plain"), std::string("a\"b\\c\n\r\t\x01"),
        std::string("\xff\xfe invalid utf-8 \xc3"), std::string("\x7f")}) {
    std::string line = LogLine(LogFormat::kJson, m);
    ASSERT_FALSE(line.empty());
    line.pop_back();  // the newline
    EXPECT_EQ(line.find('\n'), std::string::npos);
    auto parsed = nlohmann::json::parse(line, nullptr, /*allow_exceptions=*/false);
    ASSERT_TRUE(parsed.is_object()) << line;
    EXPECT_EQ(parsed["level"], "info");
    EXPECT_TRUE(parsed["msg"].get<std::string>().starts_with("request path "));
  }
}

}  // namespace
}  // namespace keyward::cli
