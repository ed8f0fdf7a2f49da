#include "commands.h"

#include <algorithm>
#include <vector>

namespace osgan::cli {
namespace {
std::vector<std::pair<int, RegisterFn>>& registry() {
  static std::vector<std::pair<int, RegisterFn>> commands;
  return commands;
}
}  // namespace

CommandRegistration::CommandRegistration(int order, RegisterFn fn) { registry().emplace_back(order, std::move(fn)); }

void register_all_commands(CLI::App& app) {
  auto& commands = registry();
  std::stable_sort(commands.begin(), commands.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [order, fn] : commands) fn(app);
}

}  // namespace osgan::cli
