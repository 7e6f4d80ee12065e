#include "keyward/core/redact.h"

namespace keyward::core {
namespace {

bool IsBase62(char c) {
  return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

}  // namespace

std::string RedactKeyLike(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size();) {
    if (!IsBase62(text[i])) {
      out += text[i++];
      continue;
    }
    std::size_t end = i;
    while (end < text.size() && IsBase62(text[end])) ++end;
    const std::string_view run = text.substr(i, end - i);
    if (run.size() >= kRedactFrom) {
      out.append(run.substr(0, kRedactKeep));
      out += "...";
    } else {
      out.append(run);
    }
    i = end;
  }
  return out;
}

}  // namespace keyward::core
