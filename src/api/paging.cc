#include "keyward/api/paging.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace keyward::api {

Status ParsePaging(const Target& t, int& limit, std::int64_t& after) {
  limit = kDefaultPageLimit;
  if (auto v = t.Query("limit")) {
    try {
      size_t used = 0;
      int n = std::stoi(*v, &used);
      if (used != v->size() || n < 1 || n > kMaxPageLimit)
        throw std::out_of_range("limit");
      limit = n;
    } catch (const std::exception&) {
      return Error::Validation("limit", "must be an integer from 1 to 500");
    }
  }
  after = 0;
  if (auto c = t.Query("cursor"); c && !c->empty()) {
    auto decoded = DecodeCursor(*c);
    if (!decoded)
      return Error::Validation("cursor", "is not a cursor this server issued");
    after = *decoded;
  }
  return OkStatus();
}

Status RefuseUnknownQuery(const Target& t,
                          std::initializer_list<std::string_view> known) {
  static constexpr std::string_view kAlways[] = {"limit", "cursor", "api_key",
                                                 "rest_api_key"};
  for (const auto& [k, v] : t.query) {
    if (std::find(known.begin(), known.end(), k) != known.end()) continue;
    if (std::find(std::begin(kAlways), std::end(kAlways), k) != std::end(kAlways))
      continue;
    return Error::Validation(k, "unknown query parameter");
  }
  return OkStatus();
}

}  // namespace keyward::api
