// keep_freed_tensor_memory: mallopt thresholds so freed tensor blocks are reused, not unmapped (see the header).
#include "cluster/malloc_tuning.h"

#include <malloc.h>

#include <climits>
#include <cstdlib>
#include <cstring>

namespace musictag::cluster {

void keep_freed_tensor_memory() {
#if defined(__GLIBC__)
  const char* switch_value = std::getenv("MUSICTAG_MALLOC_TUNING");
  if (switch_value && std::strcmp(switch_value, "0") == 0) return;
  if (!std::getenv("MALLOC_MMAP_THRESHOLD_") && mallopt(M_MMAP_THRESHOLD, 1 << 30) == 0)
    mallopt(M_MMAP_THRESHOLD, 32 << 20);
  if (!std::getenv("MALLOC_TRIM_THRESHOLD_")) mallopt(M_TRIM_THRESHOLD, INT_MAX);
#endif
}

}  // namespace musictag::cluster
