// Per-example cost of each step of a loader read (1 thread, warm page cache): what bench_loader's ratios are made of.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "train/data/data_index.h"

namespace musictag::bench {

// Microseconds per example, each step timed alone over the same examples (index order).
struct ReadBreakdown {
  std::string filters;          // /mel's filter pipeline
  double stored_bytes = 0;      // mean bytes of a stored chunk (with its 4 checksum bytes)
  double pread_us = 0;          // pread() of the stored chunk at its file offset: the page-cache floor
  double read_chunk_us = 0;     // H5Dread_chunk: the stored bytes through HDF5, no filter run
  double h5dread_us = 0;        // H5Dread of one row, raw float16: filters run (the bench's floor per example)
  double fletcher_us = 0;       // Fletcher32 of the stored bytes alone (HDF5's algorithm, bench/loader_floor.h)
  double fletcher_fast_us = 0;  // the same, vectorised (preprocess::fletcher32: what the direct reads check with)
  // PartReader::read_examples_float16 of one row: preadv + Fletcher32 check, no HDF5 (H5Dread for compressed parts)
  double direct_read_us = 0;
  double widen_us = 0;        // float16 -> float32 of one example (preprocess::halves_to_floats) into a reused buffer
  double widen_batch_us = 0;  // the same into batches that have left the caches, streaming (the loader's float32 path)
  double part_reader_us = 0;  // PartReader::read_examples of one row: the read (direct or H5Dread) + widen
  double allocate_us = 0;     // the batch's float32 mel tensor, per example: allocate_batch + one write per 4 KiB page
  std::vector<int64_t> frames;  // crop lengths measured
  std::vector<double> crop_us;  // copying the crop of one widened example into the batch, per frames
  // Our Fletcher32s (HDF5's loop and the vectorised one) of every stored chunk equal the one HDF5 stored.
  bool checksum_matches = false;
  bool direct = false;  // the parts are read with direct chunk reads (PartReader::reads_chunks_directly)
};

// Times each step over up to `examples` examples of `index`, repeating passes for at least min_seconds per step,
// the best of `reps` such measurements. `pinned`: allocate the batch as the loader would on a CUDA machine.
ReadBreakdown measure_breakdown(const train::DataIndex& index, const std::vector<int64_t>& frames, int64_t batch,
                                bool pinned, int64_t examples, double min_seconds, int reps);

}  // namespace musictag::bench
