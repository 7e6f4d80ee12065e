// Log line formatting that never lets request-derived bytes shape a line
// (contract section 1): the message is escaped for the chosen format.
//   text  control characters become \xNN, and '"' and '\' are escaped, so a
//         percent-encoded newline in a path cannot start a forged line;
//   json  every line is one valid JSON object: the message is a JSON string with
//         controls as \u00NN and every byte >= 0x80 as \u00NN (so invalid UTF-8
//         from a client can never make the line invalid).
// Pure functions; thread-safe.
#ifndef KEYWARD_CLI_LOG_FORMAT_H_
#define KEYWARD_CLI_LOG_FORMAT_H_

#include <memory>
#include <string>
#include <string_view>

#include <spdlog/formatter.h>

namespace keyward::cli {

enum class LogFormat { kText, kJson };

// Appends `message` to `out`, escaped for `format` (without surrounding quotes).
void AppendEscaped(std::string_view message, LogFormat format, std::string& out);

// The formatter for the process logger: UTC time, level, escaped message.
std::unique_ptr<spdlog::formatter> MakeLogFormatter(LogFormat format);

}  // namespace keyward::cli

#endif  // KEYWARD_CLI_LOG_FORMAT_H_
