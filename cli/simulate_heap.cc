#include "cli/simulate_heap.h"

#include <algorithm>
#include <cstdint>
#include <cstdlib>

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
#endif

namespace paceline::cli {

void PrepareHeapForLargeJob(size_t expected_bytes) {
#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
  constexpr size_t kHuge = size_t(2) << 20;
  constexpr size_t kWorthIt = size_t(4) << 20;
  if (expected_bytes < kWorthIt) return;
  // Room for the whole job: the parsed input and everything built from it
  // stay well under four times the input.
  size_t room = std::min<size_t>(4 * expected_bytes + kHuge, size_t(1) << 30);
  // glibc caps the mapping threshold at 32 MB; larger blocks still get
  // their own mapping.
  mallopt(M_MMAP_THRESHOLD, int(std::min<size_t>(room, size_t(32) << 20)));
  mallopt(M_TRIM_THRESHOLD, int(std::min<size_t>(2 * room, INT32_MAX)));
  mallopt(M_TOP_PAD, int(room));
  // One small block that does not fit the current top grows the heap by
  // `room` at once; freed, it leaves all of it to later allocations.
  auto* before = static_cast<char*>(sbrk(0));
  void* volatile grow = malloc(kHuge);  // volatile: kept by the optimizer
  free(grow);
  auto* after = static_cast<char*>(sbrk(0));
  auto begin = (reinterpret_cast<uintptr_t>(before) + kHuge - 1) & ~(kHuge - 1);
  auto end = reinterpret_cast<uintptr_t>(after) & ~(kHuge - 1);
  if (before != reinterpret_cast<char*>(-1) && end > begin) {
    madvise(reinterpret_cast<void*>(begin), end - begin, MADV_HUGEPAGE);
  }
#else
  (void)expected_bytes;
#endif
}

}  // namespace paceline::cli
