// PartJob: computes one part file: decode, augment, segment and log-mel every track of the part; failures recorded.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "preprocess/audio/audio_loader.h"
#include "preprocess/audio/centre_window.h"
#include "preprocess/failure_log.h"
#include "preprocess/features/mel_spectrogram.h"
#include "preprocess/format/part_writer.h"
#include "preprocess/output_folder.h"
#include "preprocess/part_plan.h"
#include "preprocess/preprocess_settings.h"

namespace musictag::preprocess {

struct PartResult {
  int64_t tracks_done = 0;
  int64_t tracks_failed = 0;
  int64_t examples = 0;
};

// One per rank, reused for every part it computes (it owns the decoder and the FFT state). Not thread-safe.
class PartJob {
 public:
  PartJob(const PreprocessSettings& settings, std::vector<std::string> tag_names, OutputFolder folder);

  // Computes `part` from `split_tracks` (the whole split in track-id order) into its part file, with the failed
  // tracks in the part's failures file (written first: a part file that exists is complete, failures included).
  // Calls `after_track(1)` after each track, so the caller can serve other ranks and count progress.
  PartResult run(const PartSpec& part, const std::vector<const TrackRecord*>& split_tracks,
                 const std::function<void(int64_t)>& after_track);

 private:
  // Writes the examples of `track` to `writer` as they are made (one segment held at a time, so memory stays flat
  // for an hour-long track) and returns how many. When it throws, rows it wrote are still in the writer: run()
  // truncates them, so a track is in a part whole or not at all.
  int64_t write_track(const TrackRecord& track, bool augment, PartWriter& writer);
  // segments centre: the centre window of each variant (CentreWindowLoader: only the window is decoded).
  int64_t write_centre(const TrackRecord& track, size_t n_variants, PartWriter& writer);
  // segments all: decoded, stretched (one VariantStream per variant) and cut (SegmentStream) as the file is read;
  // the variants' segments are written interleaved, in the order they fill.
  int64_t write_all(const TrackRecord& track, size_t n_variants, PartWriter& writer);
  // Row `segment` of `variant`: its log-mel (or the samples themselves for waveform datasets).
  void write_example(const TrackRecord& track, const AudioVariant& variant, int64_t segment,
                     const std::vector<float>& samples, PartWriter& writer);

  const PreprocessSettings& settings_;
  std::vector<std::string> tag_names_;
  OutputFolder folder_;
  CentreWindowLoader loader_;
  MelSpectrogram mel_;
  std::vector<AudioVariant> variants_;  // [0] is the original
};

}  // namespace musictag::preprocess
