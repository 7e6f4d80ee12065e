// fast_json::AppendString: a JSON string literal with exactly the bytes nlohmann's
// dump() writes (same escapes, same lowercase hex, the same handling of invalid
// UTF-8, for which it defers to nlohmann itself), without building a DOM value.
#include <nlohmann/json.hpp>

#include "keyward/api/fast_json.h"
#include "keyward/core/utf8.h"

namespace keyward::api::fast_json {

using core::Utf8SequenceLength;  // the same acceptance as nlohmann's decoder
using nlohmann::json;

void AppendString(std::string& out, std::string_view s) {
  const std::size_t start = out.size();
  out += '"';
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\' && c < 0x80) {
      ++i;
      continue;
    }
    if (c >= 0x80) {
      const std::size_t len = Utf8SequenceLength(s, i);
      if (len == 0) {
        // Invalid UTF-8: nlohmann's replacement rules decide, byte for byte.
        out.resize(start);
        out += json(std::string(s)).dump(-1, ' ', false, json::error_handler_t::replace);
        return;
      }
      i += len;
      continue;
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default: {
        static constexpr char kHex[] = "0123456789abcdef";
        const char esc[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
        out.append(esc, sizeof(esc));
      }
    }
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

}  // namespace keyward::api::fast_json
