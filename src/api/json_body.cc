#include "keyward/api/json_body.h"

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
  out = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (out.is_discarded()) {
    out = nullptr;
    return JsonBodyError::kMalformed;
  }
  return JsonBodyError::kNone;
}

}  // namespace keyward::api
