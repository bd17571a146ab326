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
  // The examples of one track, all computed before any is written, so a track is in a part whole or not at all.
  struct TrackExamples {
    std::vector<PartExample> rows;
    std::vector<std::vector<float>> features;  // per row: its log-mel, or its segment of samples (waveform)
  };
  TrackExamples compute_track(const TrackRecord& track, bool augment);
  // segments centre: the centre window (CentreWindowLoader: only it is decoded); all: the whole track.
  CentreWindow load(const TrackRecord& track, size_t n_variants) const;
  std::vector<std::vector<float>> segments_of(const CentreWindow& audio, const AudioVariant& variant,
                                              const std::string& source) const;

  const PreprocessSettings& settings_;
  std::vector<std::string> tag_names_;
  OutputFolder folder_;
  CentreWindowLoader loader_;
  MelSpectrogram mel_;
  std::vector<AudioVariant> variants_;  // [0] is the original
};

}  // namespace musictag::preprocess
