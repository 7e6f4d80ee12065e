// Folding usage events: what a batch means to the store (counts per key, hour and
// outcome; the latest VALID use per key) in as few events as that takes.
#ifndef KEYWARD_USAGE_USAGE_FOLD_H_
#define KEYWARD_USAGE_USAGE_FOLD_H_

#include <vector>

#include "keyward/store/store_types.h"

namespace keyward::usage {

// One event per (key, hour, code), with the summed count and the time and IP of the
// latest event folded into it; events without a key are dropped (the store ignores
// them too). Store::ApplyUsage gives the folded batch the same effect as `events`.
std::vector<store::UsageEvent> FoldUsageEvents(std::vector<store::UsageEvent> events);

}  // namespace keyward::usage

#endif  // KEYWARD_USAGE_USAGE_FOLD_H_
