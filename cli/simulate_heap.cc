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
  if (expected_bytes < kLargeJob) return;
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
#if defined(MADV_POPULATE_WRITE)
    // Fault in what the job will surely use in one call, as huge pages:
    // one 4 KiB page written in a 2 MB range first (a malloc header) makes
    // the kernel back that whole range with small pages (measured: 512
    // faults in the region's first 2 MB).
    size_t sure = std::min<size_t>(
        end - begin, (expected_bytes * 3 / 2 + kHuge - 1) & ~(kHuge - 1));
    madvise(reinterpret_cast<void*>(begin), sure, MADV_POPULATE_WRITE);
#endif
    // The heap's top now starts below `begin`, in up to 2 MB of small
    // pages: allocations carved from there fault 4 KiB at a time (measured:
    // 430 of a 32x1000 simulate's 750 faults). A block that fills that
    // head, never freed and never touched past its header, makes the job's
    // memory start at `begin`.
    auto* probe = static_cast<char*>(malloc(kHuge));
    auto head = begin - reinterpret_cast<uintptr_t>(probe);
    free(probe);
    if (reinterpret_cast<uintptr_t>(probe) < begin && head > 64 &&
        head <= kHuge) {
      void* volatile filler = malloc(head - 32);
      (void)filler;
    }
  }
#else
  (void)expected_bytes;
#endif
}

}  // namespace paceline::cli
