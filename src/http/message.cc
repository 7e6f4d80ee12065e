#include "keyward/http/message.h"

namespace keyward::http {

bool HeaderNameEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i], y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

std::optional<std::string_view> Request::Header(std::string_view name) const {
  for (const auto& [k, v] : headers) {
    if (HeaderNameEquals(k, name)) return std::string_view(v);
  }
  return std::nullopt;
}

int Request::HeaderCount(std::string_view name) const {
  int n = 0;
  for (const auto& [k, v] : headers) n += HeaderNameEquals(k, name) ? 1 : 0;
  return n;
}

void Response::Set(std::string name, std::string value) {
  for (auto& [k, v] : headers) {
    if (HeaderNameEquals(k, name)) {
      v = std::move(value);
      return;
    }
  }
  // An API answer carries up to a dozen fields: one allocation, not five regrowths.
  if (headers.capacity() == 0) headers.reserve(12);
  headers.emplace_back(std::move(name), std::move(value));
}

}  // namespace keyward::http
