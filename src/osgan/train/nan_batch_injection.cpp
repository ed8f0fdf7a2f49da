#include "osgan/train/nan_batch_injection.h"

#include <algorithm>
#include <cstdlib>
#include <sstream>
#include <string>

#include "osgan/core/error.h"

namespace osgan {

NanBatchInjection::NanBatchInjection() {
  const char* list = std::getenv("OSGAN_TEST_NAN_BATCH_AT_STEPS");
  if (!list) return;
  std::istringstream in(list);
  for (std::string item; std::getline(in, item, ',');) {
    char* end = nullptr;
    const long long step = std::strtoll(item.c_str(), &end, 10);
    if (item.empty() || *end != '\0' || step < 1)
      fail(ErrorCode::invalid_argument, std::string("OSGAN_TEST_NAN_BATCH_AT_STEPS: expected steps >= 1 separated by "
           "commas, e.g. 5,9,9; got \"") + list + "\"");
    pending_.push_back(step);
  }
}

bool NanBatchInjection::poison(std::int64_t step) {
  const auto it = std::find(pending_.begin(), pending_.end(), step);
  if (it == pending_.end()) return false;
  pending_.erase(it);
  return true;
}

}  // namespace osgan
