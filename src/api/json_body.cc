#include "keyward/api/json_body.h"

#include <set>
#include <string>
#include <vector>

namespace keyward::api {

int JsonNestingDepth(std::string_view text, int limit) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') {
        ++i;  // whatever is escaped cannot end the string
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    switch (c) {
      case '"':
        in_string = true;
        break;
      case '[':
      case '{':
        if (++depth > deepest) deepest = depth;
        if (deepest > limit) return limit + 1;
        break;
      case ']':
      case '}':
        if (depth > 0) --depth;
        break;
      default:
        break;
    }
  }
  return deepest;
}

JsonBodyError ParseJsonBody(std::string_view text, nlohmann::json& out, int max_depth) {
  size_t first = text.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return JsonBodyError::kEmpty;
  if (JsonNestingDepth(text, max_depth) > max_depth) return JsonBodyError::kTooDeep;
  // nlohmann's lexer takes a NUL byte for the end of input and ignores the rest, so
  // `{"name":"x"}\0anything` would parse. JSON never holds a raw NUL (inside a string
  // it must be escaped), so a NUL anywhere is malformed.
  if (text.find('\0') != std::string_view::npos) return JsonBodyError::kMalformed;
  // RFC 8259 leaves repeated member names to the reader: nlohmann keeps the last,
  // a gateway or log pipeline may keep the first, so {"scopes": ["logs:read"],
  // "scopes": ["*"]} would mean two things. Refused as malformed.
  std::vector<std::set<std::string>> open_objects;  // names seen, innermost last
  bool repeated = false;
  const auto track_names = [&](int, nlohmann::json::parse_event_t event,
                               nlohmann::json& parsed) {
    using Event = nlohmann::json::parse_event_t;
    if (event == Event::object_start) {
      open_objects.emplace_back();
    } else if (event == Event::object_end) {
      open_objects.pop_back();
    } else if (event == Event::key &&
               !open_objects.back().insert(parsed.get<std::string>()).second) {
      repeated = true;
    }
    return true;
  };
  out = nlohmann::json::parse(text, track_names, /*allow_exceptions=*/false);
  if (out.is_discarded() || repeated) {
    out = nullptr;
    return JsonBodyError::kMalformed;
  }
  return JsonBodyError::kNone;
}

}  // namespace keyward::api
