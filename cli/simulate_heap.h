// Heap set-up for one large, short-lived job (`paceline simulate` on a CIB
// of many megabytes): the process allocates a few tens of MB, keeps most of
// it to the end, and exits. Faulting that in 4 KiB at a time is a large
// part of the run on virtual machines, where a page fault costs ~10 us
// (measured here: 3,300 faults, a third of a 32x1000 simulate). Backing the
// heap with transparent huge pages cuts the faults to a few hundred.
//
// What it does, with glibc's malloc (elsewhere it does nothing): grow the
// heap in one step, serve large blocks from it too instead of separate
// mappings, never give memory back before exit, advise the kernel to back
// that range with huge pages (honoured when transparent_hugepage is
// "madvise" or "always"; the glibc.malloc.hugetlb=1 tunable does as much,
// but only from the environment before the process starts), fault in at
// once the part the job will surely use, and make allocations start in
// that range rather than in the small pages below it.
//
// Call it once, early, from a command's entry point; never from a daemon
// or a library.
#pragma once

#include <cstddef>

namespace paceline::cli {

// Inputs from this size on are a large job.
inline constexpr size_t kLargeJob = size_t(4) << 20;

// `expected_bytes`: about how much the job will allocate (the input's
// size is a fair guess); below kLargeJob nothing is worth changing.
void PrepareHeapForLargeJob(size_t expected_bytes);

}  // namespace paceline::cli
