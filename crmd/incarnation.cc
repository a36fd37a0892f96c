#include "crmd/incarnation.h"

#include <algorithm>
#include <charconv>
#include <fstream>
#include <sstream>

#include "common/atomic_file.h"

namespace paceline::crmd {

Result<uint64_t> NextIncarnation(const std::string& state_dir, WallTime now) {
  std::string path = state_dir + "/incarnation";
  uint64_t previous = 0;
  if (std::ifstream in(path); in) {
    std::stringstream ss;
    ss << in.rdbuf();
    std::string text = ss.str();
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
      text.pop_back();
    }
    auto [ptr, ec] =
        std::from_chars(text.data(), text.data() + text.size(), previous);
    if (ec != std::errc() || ptr != text.data() + text.size()) {
      return Status::Corrupt(path + ": not a number (" + text +
                             "); remove it to start over");
    }
  }
  uint64_t micros =
      uint64_t(std::chrono::duration_cast<std::chrono::microseconds>(
                   now.time_since_epoch())
                   .count());
  uint64_t next = std::max(previous + 1, micros);
  AtomicWriteOptions opts;
  opts.mode = 0600;
  PL_RETURN_IF_ERROR(
      WriteFileAtomically(path, std::to_string(next) + "\n", opts));
  return next;
}

}  // namespace paceline::crmd
