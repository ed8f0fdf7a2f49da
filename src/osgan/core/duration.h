// A duration for a person to read in a progress line or a log: "4m07s" under an hour, "1h23m" from an hour on.
#pragma once
#include <string>

namespace osgan {

std::string format_duration(double seconds);

}  // namespace osgan
