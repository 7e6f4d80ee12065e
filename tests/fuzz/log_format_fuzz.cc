// Fuzzes the log-line escaping (contract section 1: log lines never carry raw
// request-derived bytes): cli::AppendEscaped and the process formatter. A text line
// holds no control byte and unescapes to the message; a json line is one valid JSON
// object whose "msg" gives back every byte of the message.
//
// Input: byte 0 bit 0 picks the format (0 text, 1 json); the rest is the message.
#include <spdlog/details/log_msg.h>
#include <spdlog/formatter.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "fuzz_check.h"
#include "keyward/cli/log_format.h"

namespace {

using keyward::cli::LogFormat;

int Hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;  // the escaper writes lower-case hex only
}

// Reverses the text escaping: \" \\ and \xNN; nullopt on anything else after '\'.
std::optional<std::string> UnescapeText(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\\') {
      out += s[i];
      continue;
    }
    if (i + 1 >= s.size()) return std::nullopt;
    const char next = s[++i];
    if (next == '"' || next == '\\') {
      out += next;
    } else if (next == 'x' && i + 2 < s.size() && Hex(s[i + 1]) >= 0 &&
               Hex(s[i + 2]) >= 0) {
      out += static_cast<char>(Hex(s[i + 1]) * 16 + Hex(s[i + 2]));
      i += 2;
    } else {
      return std::nullopt;
    }
  }
  return out;
}

// The JSON escaping writes every byte >= 0x80 as the code point U+0080..U+00FF, so
// the decoded (UTF-8) string maps back to the message byte for byte.
std::optional<std::string> Latin1(const std::string& utf8) {
  std::string out;
  for (std::size_t i = 0; i < utf8.size(); ++i) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    if (c < 0x80) {
      out += static_cast<char>(c);
    } else if ((c == 0xC2 || c == 0xC3) && i + 1 < utf8.size()) {
      out += static_cast<char>(((c & 0x03) << 6) | (utf8[++i] & 0x3F));
    } else {
      return std::nullopt;
    }
  }
  return out;
}

void CheckEscaped(std::string_view message, LogFormat format, const std::string& out) {
  for (char ch : out) {
    const auto c = static_cast<unsigned char>(ch);
    FUZZ_CHECK(c >= 0x20 && c != 0x7f);
    if (format == LogFormat::kJson) FUZZ_CHECK(c < 0x80);
  }
  if (format == LogFormat::kText) {
    auto back = UnescapeText(out);
    FUZZ_CHECK(back.has_value() && *back == message);
    return;
  }
  const nlohmann::json parsed =
      nlohmann::json::parse("\"" + out + "\"", nullptr, /*allow_exceptions=*/false);
  FUZZ_CHECK(parsed.is_string());
  auto back = Latin1(parsed.get<std::string>());
  FUZZ_CHECK(back.has_value() && *back == message);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const LogFormat format = (data[0] & 1) ? LogFormat::kJson : LogFormat::kText;
  const std::string_view message(reinterpret_cast<const char*>(data) + 1, size - 1);

  std::string out = "kept:";  // AppendEscaped appends
  keyward::cli::AppendEscaped(message, format, out);
  FUZZ_CHECK(out.starts_with("kept:"));
  CheckEscaped(message, format, out.substr(5));

  // The whole line as the process logger writes it.
  static const auto text = keyward::cli::MakeLogFormatter(LogFormat::kText);
  static const auto json = keyward::cli::MakeLogFormatter(LogFormat::kJson);
  spdlog::details::log_msg msg("keyward", spdlog::level::warn,
                               spdlog::string_view_t(message.data(), message.size()));
  spdlog::memory_buf_t buf;
  (format == LogFormat::kJson ? json : text)->format(msg, buf);
  std::string line(buf.data(), buf.size());
  FUZZ_CHECK(!line.empty() && line.back() == '\n');
  line.pop_back();
  for (char ch : line) FUZZ_CHECK(static_cast<unsigned char>(ch) >= 0x20);
  if (format == LogFormat::kJson) {
    const nlohmann::json obj = nlohmann::json::parse(line, nullptr, false);
    FUZZ_CHECK(obj.is_object() && obj.contains("msg") && obj["msg"].is_string());
    auto back = Latin1(obj["msg"].get<std::string>());
    FUZZ_CHECK(back.has_value() && *back == message);
  }
  return 0;
}
