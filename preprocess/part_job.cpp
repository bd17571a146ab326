// PartJob: computes one part file: decode, augment, segment and log-mel (or keep the waveform of) every track of the
// part; failures recorded.
#include "preprocess/part_job.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "cluster/errors.h"
#include "cluster/log.h"
#include "preprocess/audio/audio_segments.h"
#include "preprocess/audio/centre_window.h"

namespace musictag::preprocess {

PartJob::PartJob(const PreprocessSettings& settings, std::vector<std::string> tag_names, OutputFolder folder)
    : settings_(settings),
      tag_names_(std::move(tag_names)),
      folder_(std::move(folder)),
      loader_(AudioLoader(static_cast<int>(settings.features.sample_rate), settings.preprocess.min_seconds,
                          settings.preprocess.max_seconds)),
      mel_(settings.features),
      variants_(settings.augment.variants()) {}

CentreWindow PartJob::load(const TrackRecord& track, size_t n_variants) const {
  if (settings_.preprocess.segments == SegmentMode::centre) {
    const std::vector<AudioVariant> used(variants_.begin(),
                                         variants_.begin() + static_cast<std::ptrdiff_t>(n_variants));
    const int64_t span = centre_span(settings_.features.segment_samples(), used, loader_.loader().sample_rate());
    return loader_.load(track.audio_path, span);
  }
  CentreWindow whole;
  whole.audio = loader_.loader().load(track.audio_path);
  whole.track_samples = static_cast<int64_t>(whole.audio.samples.size());
  return whole;
}

std::vector<std::vector<float>> PartJob::segments_of(const CentreWindow& audio, const AudioVariant& variant,
                                                     const std::string& source) const {
  const int64_t length = settings_.features.segment_samples();
  if (settings_.preprocess.segments == SegmentMode::centre) return {centre_segment(audio, variant, length, source)};
  const std::vector<float>& samples = audio.audio.samples;
  if (variant.is_original()) return consecutive_segments(samples, length);
  return consecutive_segments(apply_variant(samples, audio.audio.sample_rate, variant, source), length);
}

PartJob::TrackExamples PartJob::compute_track(const TrackRecord& track, bool augment) {
  TrackExamples out;
  const size_t n_variants = augment ? variants_.size() : 1;
  const CentreWindow audio = load(track, n_variants);
  for (size_t v = 0; v < n_variants; ++v) {
    const AudioVariant& variant = variants_[v];
    const auto segments = segments_of(audio, variant, track.audio_path);
    for (size_t s = 0; s < segments.size(); ++s) {
      out.features.push_back(settings_.features.is_waveform() ? segments[s] : mel_.compute(segments[s]));
      PartExample row;
      row.track_id = track.track_id;
      row.variant = variant.index;
      row.time_stretch = static_cast<float>(variant.time_stretch);
      row.pitch_shift = static_cast<float>(variant.pitch_shift);
      row.segment = static_cast<int16_t>(s);
      row.tags = track.tags.data();
      out.rows.push_back(row);
    }
  }
  return out;
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
    TrackExamples examples;
    try {
      examples = compute_track(track, augment);
    } catch (const AudioError& e) {
      failures.push_back({track.track_id, track.audio_path, e.stage(), e.what()});
    } catch (const DataError& e) {
      failures.push_back({track.track_id, track.audio_path, "features", e.what()});
    }
    if (examples.rows.empty()) {
      ++result.tracks_failed;
    } else {
      for (size_t e = 0; e < examples.rows.size(); ++e) {
        examples.rows[e].data = examples.features[e].data();
        writer.append(examples.rows[e]);
      }
      ++result.tracks_done;
      result.examples += static_cast<int64_t>(examples.rows.size());
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
