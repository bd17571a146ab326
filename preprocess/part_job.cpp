// PartJob: computes one part file: decode, augment, segment and log-mel every track of the part; failures recorded.
#include "preprocess/part_job.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "cluster/errors.h"
#include "cluster/log.h"
#include "preprocess/audio/audio_segments.h"

namespace musictag::preprocess {

PartJob::PartJob(const PreprocessSettings& settings, std::vector<std::string> tag_names, OutputFolder folder)
    : settings_(settings),
      tag_names_(std::move(tag_names)),
      folder_(std::move(folder)),
      loader_(settings.features.sample_rate, settings.preprocess.min_seconds, settings.preprocess.max_seconds),
      mel_(settings.features),
      variants_(settings.augment.variants()) {}

std::vector<std::vector<float>> PartJob::segments_of(const std::vector<float>& samples) const {
  const int64_t length = settings_.features.segment_samples();
  if (settings_.preprocess.segments == SegmentMode::all) return consecutive_segments(samples, length);
  return {centre_crop_or_pad(samples, length)};
}

PartJob::TrackExamples PartJob::compute_track(const TrackRecord& track, bool augment) {
  TrackExamples out;
  const DecodedAudio audio = loader_.load(track.audio_path);
  const size_t n_variants = augment ? variants_.size() : 1;
  for (size_t v = 0; v < n_variants; ++v) {
    const AudioVariant& variant = variants_[v];
    const std::vector<float> samples =
        variant.is_original() ? audio.samples : apply_variant(audio.samples, audio.sample_rate, variant);
    const auto segments = segments_of(samples);
    for (size_t s = 0; s < segments.size(); ++s) {
      out.mels.push_back(mel_.compute(segments[s]));
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
        examples.rows[e].mel = examples.mels[e].data();
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
