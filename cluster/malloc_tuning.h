// glibc malloc settings for processes that allocate and free large tensors every step (train, eval, predict).
#pragma once

namespace musictag::cluster {

// libtorch's CPU allocator takes every activation from malloc; glibc serves blocks above its mmap threshold with
// fresh mmap() and returns them with munmap() on free, so each training step page-faults its activations in again
// (measured: 10-20% of a CPU step in the kernel's page-fault and unmap paths). This raises the mmap threshold to
// 1 GiB (32 MiB where glibc refuses more) and the trim threshold to 2 GiB, so freed blocks stay in the heap for
// the next step: +25-40% CPU samples/s on the demo CRNN (bench/bench_train.sh). The cost: the process keeps its
// peak heap instead of returning it to the system. Values the user set through MALLOC_MMAP_THRESHOLD_ /
// MALLOC_TRIM_THRESHOLD_ win; MUSICTAG_MALLOC_TUNING=0 turns this off. Call first thing in main().
void keep_freed_tensor_memory();

}  // namespace musictag::cluster
