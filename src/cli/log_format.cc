#include "keyward/cli/log_format.h"

#include <spdlog/pattern_formatter.h>

namespace keyward::cli {
namespace {

constexpr char kHex[] = "0123456789abcdef";

class EscapedMessage final : public spdlog::custom_flag_formatter {
 public:
  explicit EscapedMessage(LogFormat format) : format_(format) {}

  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string escaped;
    AppendEscaped(std::string_view(msg.payload.data(), msg.payload.size()), format_,
                  escaped);
    dest.append(escaped.data(), escaped.data() + escaped.size());
  }

  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<EscapedMessage>(format_);
  }

 private:
  LogFormat format_;
};

}  // namespace

void AppendEscaped(std::string_view message, LogFormat format, std::string& out) {
  out.reserve(out.size() + message.size());
  for (const char ch : message) {
    const auto c = static_cast<unsigned char>(ch);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += ch;
    } else if (c < 0x20 || c == 0x7f || (format == LogFormat::kJson && c >= 0x80)) {
      out += format == LogFormat::kJson ? "\\u00" : "\\x";
      out += kHex[c >> 4];
      out += kHex[c & 15];
    } else {
      out += ch;
    }
  }
}

std::unique_ptr<spdlog::formatter> MakeLogFormatter(LogFormat format) {
  auto f = std::make_unique<spdlog::pattern_formatter>(spdlog::pattern_time_type::utc);
  // '*' is the escaped message; %v (raw) is never used.
  f->add_flag<EscapedMessage>('*', format);
  f->set_pattern(format == LogFormat::kJson
                     ? R"({"time":"%Y-%m-%dT%H:%M:%S.%eZ","level":"%l","msg":"%*"})"
                     : "%Y-%m-%dT%H:%M:%S.%eZ %l %*");
  return f;
}

}  // namespace keyward::cli
