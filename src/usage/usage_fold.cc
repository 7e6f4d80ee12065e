#include "keyward/usage/usage_fold.h"

#include <map>
#include <string>
#include <tuple>

namespace keyward::usage {

std::vector<store::UsageEvent> FoldUsageEvents(std::vector<store::UsageEvent> events) {
  using Slot = std::tuple<std::string, UnixSeconds, std::string>;  // key, hour, code
  std::map<Slot, store::UsageEvent> folded;
  for (store::UsageEvent& e : events) {
    if (e.key_id.empty()) continue;
    const UnixSeconds hour = e.at - (((e.at % 3600) + 3600) % 3600);  // as the store
    Slot slot{e.key_id, hour, e.code};
    auto it = folded.find(slot);
    if (it == folded.end()) {
      folded.emplace(std::move(slot), std::move(e));
      continue;
    }
    store::UsageEvent& kept = it->second;
    kept.count += e.count;
    // The latest event's time and IP are the ones last-used must keep.
    if (e.at >= kept.at) {
      kept.at = e.at;
      kept.ip = std::move(e.ip);
    }
  }
  std::vector<store::UsageEvent> out;
  out.reserve(folded.size());
  for (auto& [slot, e] : folded) out.push_back(std::move(e));
  return out;
}

}  // namespace keyward::usage
