// Generates the embedded demo dataset: FMA's on-disk layout (fma_metadata/tracks.csv, genres.csv,
// audio/NNN/NNNNNN.mp3) or MTG-Jamendo's (autotagging*.tsv, splits/, tags/, audio/NN/<id>.mp3), with synthesized,
// genre-bearing clips and a few broken files, from a seed.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "cluster/choice.h"
#include "preprocess/demo/demo_plan.h"

namespace musictag::preprocess {

// Which dataset's on-disk layout the demo imitates; the plan and the audio are the same for both.
enum class DemoFormat { fma, jamendo };
inline constexpr ChoiceName<DemoFormat> kDemoFormatNames[] = {{DemoFormat::fma, "fma"},
                                                              {DemoFormat::jamendo, "jamendo"}};

struct DemoDatasetOptions {
  std::string output;      // folder to write; created if missing
  int tracks = 300;        // [12,999999] rows in tracks.csv, six of them with broken or missing audio
  uint64_t seed = 1;       // same seed and tracks: byte-identical files
  int threads = 0;         // encoding threads, >= 0; 0 = std::thread::hardware_concurrency()
  bool overwrite = false;  // a non-empty output folder is refused unless set; then what the format writes (fma:
                           // audio/ and fma_metadata/; jamendo: audio/, splits/, tags/, autotagging*.tsv,
                           // README_demo.txt) is deleted first (nothing else in it is touched)
  DemoFormat format = DemoFormat::fma;  // fma: FMA's layout; jamendo: MTG-Jamendo's (demo_jamendo_files.h)
};

struct DemoDatasetSummary {
  int tracks = 0;
  uintmax_t audio_bytes = 0;
  double seconds = 0;                                        // wall time
  std::vector<std::pair<int64_t, DemoClipKind>> bad_tracks;  // id and kind, in id order
};

// Called after each audio file with (files done, total); from worker threads, one call at a time.
using DemoProgress = std::function<void(int, int)>;

// Throws ConfigError for bad options (including a non-empty output folder without overwrite) and DataError for
// failures while writing.
DemoDatasetSummary make_demo_dataset(const DemoDatasetOptions& options, const DemoProgress& progress = {});

}  // namespace musictag::preprocess
