// PartJob: computes one part file: decode, augment, segment and log-mel (or keep the waveform of) every track of the
// part; failures recorded.
#include "preprocess/part_job.h"

#include <fmt/format.h>

#include <algorithm>
#include <exception>
#include <filesystem>
#include <memory>

#include "cluster/errors.h"
#include "cluster/log.h"
#include "preprocess/audio/audio_segments.h"
#include "preprocess/audio/centre_window.h"
#include "preprocess/audio/variant_stream.h"

namespace musictag::preprocess {

PartJob::PartJob(const PreprocessSettings& settings, std::vector<std::string> tag_names, OutputFolder folder)
    : settings_(settings),
      tag_names_(std::move(tag_names)),
      folder_(std::move(folder)),
      loader_(AudioLoader(static_cast<int>(settings.features.sample_rate), settings.preprocess.min_seconds,
                          settings.preprocess.max_seconds)),
      mel_(settings.features),
      variants_(settings.augment.variants()) {}

namespace {
// An exception from the part writer, carried past the track's failure handling: a disk problem ends the part, it is
// no track's failure.
struct WriteFailed {
  std::exception_ptr error;
};
}  // namespace

int64_t PartJob::write_track(const TrackRecord& track, bool augment, PartWriter& writer) {
  const size_t n_variants = augment ? variants_.size() : 1;
  if (settings_.preprocess.segments == SegmentMode::centre) return write_centre(track, n_variants, writer);
  return write_all(track, n_variants, writer);
}

int64_t PartJob::write_centre(const TrackRecord& track, size_t n_variants, PartWriter& writer) {
  const int64_t length = settings_.features.segment_samples();
  const std::vector<AudioVariant> used(variants_.begin(), variants_.begin() + static_cast<std::ptrdiff_t>(n_variants));
  const CentreWindow window = loader_.load(track.audio_path, centre_span(length, used, loader_.loader().sample_rate()));
  for (const AudioVariant& variant : used)
    write_example(track, variant, 0, centre_segment(window, variant, length, track.audio_path), writer);
  return static_cast<int64_t>(n_variants);
}

int64_t PartJob::write_all(const TrackRecord& track, size_t n_variants, PartWriter& writer) {
  const int64_t length = settings_.features.segment_samples();
  const int rate = loader_.loader().sample_rate();
  struct Lane {
    VariantStream stretch;
    SegmentStream segments;
  };
  std::vector<std::unique_ptr<Lane>> lanes;
  for (size_t v = 0; v < n_variants; ++v) {
    const AudioVariant& variant = variants_[v];
    lanes.push_back(std::make_unique<Lane>(
        Lane{VariantStream(rate, variant, track.audio_path),
             SegmentStream(length, kMinSegmentFraction, [&, variant](const std::vector<float>& segment, int64_t index) {
               write_example(track, variant, index, segment, writer);
             })}));
  }
  loader_.loader().stream(track.audio_path, [&](const float* samples, size_t count) {
    for (auto& lane : lanes) {
      Lane& l = *lane;
      l.stretch.push(samples, count, [&l](const float* x, size_t n) { l.segments.push(x, n); });
    }
  });
  int64_t written = 0;
  for (auto& lane : lanes) {
    Lane& l = *lane;
    l.stretch.finish([&l](const float* x, size_t n) { l.segments.push(x, n); });
    l.segments.finish();
    written += l.segments.segments();
  }
  return written;
}

void PartJob::write_example(const TrackRecord& track, const AudioVariant& variant, int64_t segment,
                            const std::vector<float>& samples, PartWriter& writer) {
  std::vector<float> mel;
  if (!settings_.features.is_waveform()) {
    try {
      mel = mel_.compute(samples);
    } catch (const AudioError&) {
      throw;
    } catch (const DataError& e) {
      throw AudioError("features", e.what());
    }
  }
  PartExample row;
  row.track_id = track.track_id;
  row.variant = variant.index;
  row.time_stretch = static_cast<float>(variant.time_stretch);
  row.pitch_shift = static_cast<float>(variant.pitch_shift);
  row.segment = static_cast<int16_t>(segment);
  row.tags = track.tags.data();
  row.data = settings_.features.is_waveform() ? samples.data() : mel.data();
  try {
    writer.append(row);
  } catch (...) {
    throw WriteFailed{std::current_exception()};
  }
}

PartResult PartJob::run(const PartSpec& part, const std::vector<const TrackRecord*>& split_tracks,
                        const std::function<void(int64_t)>& after_track) {
  PartWriterOptions options;
  if (settings_.preprocess.compression == PartCompression::deflate)
    options.deflate_level = static_cast<int>(settings_.preprocess.compression_level);
  PartWriter writer(folder_.part_path(part.split, part.index),
                    PartHeader::make(settings_.features, tag_names_, part.split, part.index), options);
  const auto& augment_splits = settings_.augment.splits;
  const bool augment = std::find(augment_splits.begin(), augment_splits.end(), part.split) != augment_splits.end();

  PartResult result;
  std::vector<TrackFailure> failures;
  for (int64_t i = part.first; i < part.first + part.count; ++i) {
    const TrackRecord& track = *split_tracks[static_cast<size_t>(i)];
    const int64_t rows_before = writer.size();
    int64_t written = 0;
    try {
      written = write_track(track, augment, writer);
    } catch (const WriteFailed& failed) {
      std::rethrow_exception(failed.error);
    } catch (const AudioError& e) {
      failures.push_back({track.track_id, track.audio_path, e.stage(), e.what()});
    } catch (const DataError& e) {
      failures.push_back({track.track_id, track.audio_path, "features", e.what()});
    }
    if (written == 0) {
      writer.truncate(rows_before);
      ++result.tracks_failed;
    } else {
      ++result.tracks_done;
      result.examples += written;
    }
    after_track(1);
  }
  write_failures_tsv(failures, folder_.part_failures_path(part.split, part.index));
  writer.commit();
  log::info("part {} done: {} tracks, {} examples, {} failed", OutputFolder::part_name(part.split, part.index),
            result.tracks_done, result.examples, result.tracks_failed);
  return result;
}

}  // namespace musictag::preprocess
