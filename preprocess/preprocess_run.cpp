// The preprocess stage: dataset → part files shared dynamically over the ranks → manifest.json and failures.tsv.
#include "preprocess/preprocess_run.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <map>
#include <set>

#include "cluster/io_error.h"
#include "cluster/log.h"
#include "cluster/mpi_check.h"
#include "cluster/progress_meter.h"
#include "preprocess/duplicate_groups.h"
#include "preprocess/format/manifest.h"
#include "preprocess/format/part_reader.h"
#include "preprocess/format/sha256.h"
#include "preprocess/part_job.h"
#include "preprocess/source_hashes.h"
#include "preprocess/sources/dataset_loader.h"
#include "preprocess/work_queue.h"

namespace musictag::preprocess {
namespace fs = std::filesystem;
namespace {

void barrier(const cluster::World& world) {
  if (world.size > 1) MPI_CHECK(MPI_Barrier(MPI_COMM_WORLD));
}

std::string source_name(const DatasetConfig& dataset) {
  return dataset.kind == DatasetKind::fma ? "fma_" + dataset.subset : std::string(dataset.kind_name());
}

// Rank 0, after every part is complete: checksums, counts, merged failures, manifest.json.
void write_outputs(const OutputFolder& folder, const PreprocessSettings& settings, const DatasetIndex& dataset,
                   const std::vector<PartSpec>& parts, const std::vector<DuplicateGroup>& duplicates,
                   PreprocessSummary& summary) {
  Manifest manifest;
  manifest.duplicates = duplicates;
  for (const auto& group : duplicates) {
    for (size_t i = 0; i < group.track_ids.size(); ++i) {
      const bool dropped =
          std::find(group.dropped.begin(), group.dropped.end(), group.track_ids[i]) != group.dropped.end();
      if (dropped) manifest.counts[group.splits[i]].duplicates_dropped += 1;
    }
  }
  manifest.source_dataset = source_name(settings.dataset);
  manifest.set_config(settings.resolved_config);
  manifest.tag_names = dataset.tag_names;
  manifest.features = settings.features.to_json();
  manifest.created = utc_now_iso8601();
  std::vector<std::string> failure_files;
  for (const auto& part : parts) {
    PartReader reader(folder.part_path(part.split, part.index));
    reader.check_matches(manifest.features, manifest.tag_names);
    const std::set<int64_t> tracks(reader.track_ids().begin(), reader.track_ids().end());
    const std::string name = OutputFolder::part_name(part.split, part.index);
    manifest.parts.push_back(
        {name, part.split, part.index, reader.size(), static_cast<int64_t>(tracks.size()), sha256_file(reader.path())});
    manifest.counts[part.split].tracks_done += static_cast<int64_t>(tracks.size());
    summary.examples += reader.size();
    failure_files.push_back(folder.part_failures_path(part.split, part.index));
  }
  merge_failures_tsv(failure_files, folder.failures_path());
  std::map<int64_t, std::string> split_of;
  for (const auto& track : dataset.tracks) split_of[track.track_id] = track.split;
  for (const auto& failure : read_failures_tsv(folder.failures_path())) {
    manifest.counts[split_of[failure.track_id]].tracks_failed += 1;
  }
  for (const auto& [split, counts] : manifest.counts) {
    summary.tracks_done += counts.tracks_done;
    summary.tracks_failed += counts.tracks_failed;
  }
  write_manifest(manifest, folder.manifest_path());
}

// At most this many cross-split warning lines; manifest.json lists every group.
constexpr size_t kMaxCrossSplitWarnings = 10;

// Every rank: the SHA-256 of every source file (read again here, before any part, so a dropped duplicate never
// enters one and the plan stays the same for any rank count), the groups of bit-identical files, and with
// preprocess.drop_duplicates the later ids of each group removed from `dataset`. Rank 0 logs what it found.
std::vector<DuplicateGroup> find_duplicates(const cluster::World& world, const PreprocessSettings& settings,
                                            const OutputFolder& folder, DatasetIndex& dataset,
                                            PreprocessSummary& summary) {
  const auto start = std::chrono::steady_clock::now();
  const SourceHashes hashes = hash_source_files(world, dataset.tracks, folder.source_hashes_path());
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  auto groups = find_duplicate_groups(dataset.tracks, hashes.sha256, settings.preprocess.drop_duplicates);
  summary.duplicate_groups = static_cast<int64_t>(groups.size());
  for (const auto& group : groups) summary.duplicate_tracks += static_cast<int64_t>(group.track_ids.size()) - 1;
  summary.duplicates_dropped = drop_duplicate_tracks(dataset, groups);
  if (world.rank != 0) return groups;
  if (hashes.reused) {
    log::info("source sha256: {} files, taken from {} (delete it to hash the files again)", hashes.sha256.size(),
              folder.source_hashes_path());
  } else {
    log::info("source sha256: {} files, {:.1f} MB read in {:.1f} s ({:.0f} MB/s over {} ranks), in {}",
              hashes.sha256.size(), static_cast<double>(hashes.bytes) / 1e6, seconds,
              static_cast<double>(hashes.bytes) / 1e6 / std::max(seconds, 1e-9), world.size,
              folder.source_hashes_path());
  }
  size_t cross_split = 0;
  for (const auto& group : groups) {
    const std::string warning = cross_split_warning(group);
    if (!warning.empty() && ++cross_split <= kMaxCrossSplitWarnings) log::warn("{}", warning);
  }
  if (cross_split > kMaxCrossSplitWarnings)
    log::warn("... and {} more groups of bit-identical audio across splits (manifest.json `duplicates`)",
              cross_split - kMaxCrossSplitWarnings);
  if (!groups.empty()) {
    log::info("duplicates: {} group{} of bit-identical audio, {} track{} beyond the lowest id of {} group; {}",
              groups.size(), groups.size() == 1 ? "" : "s", summary.duplicate_tracks,
              summary.duplicate_tracks == 1 ? "" : "s", groups.size() == 1 ? "its" : "their",
              settings.preprocess.drop_duplicates
                  ? fmt::format("{} dropped (preprocess.drop_duplicates: true), listed in manifest.json",
                                summary.duplicates_dropped)
                  : "all kept, listed in manifest.json `duplicates` (preprocess.drop_duplicates: true drops them)");
  }
  return groups;
}

// The stage itself; run_preprocess adds the advice for I/O errors in the output folder.
PreprocessSummary preprocess_into_folder(const cluster::World& world, const PreprocessSettings& settings) {
  DatasetIndex dataset = load_dataset(settings.dataset);
  const OutputFolder folder{settings.preprocess.output};
  PreprocessSummary summary;
  if (world.rank == 0) {
    log::info("dataset {}: {} tracks ({} training, {} validation, {} test), {} tags", source_name(settings.dataset),
              dataset.tracks.size(), dataset.split("training").size(), dataset.split("validation").size(),
              dataset.split("test").size(), dataset.tag_names.size());
    prepare_output_folder(folder, settings.resolved_config, settings.overwrite);
  }
  barrier(world);
  const auto duplicates = find_duplicates(world, settings, folder, dataset, summary);
  const auto parts = plan_parts(dataset, settings.preprocess.part_size);
  summary.tracks = static_cast<int64_t>(dataset.tracks.size());
  summary.parts = static_cast<int64_t>(parts.size());
  if (world.rank == 0)
    log::info("{} tracks in {} parts of up to {} tracks", summary.tracks, parts.size(), settings.preprocess.part_size);

  std::map<std::string, std::vector<const TrackRecord*>> split_tracks;
  for (const auto& split : dataset_split_names()) split_tracks[split] = dataset.split(split);
  PartJob job(settings, dataset.tag_names, folder);
  WorkQueue queue(world, static_cast<int64_t>(parts.size()));
  cluster::ProgressMeter progress("tracks", summary.tracks, settings.preprocess.progress_seconds);
  const auto after_track = [&](int64_t tracks) {
    queue.report_done(tracks);
    queue.poll();
    if (world.rank == 0) progress.update(queue.units_done());
  };
  while (const auto item = queue.next()) {
    const PartSpec& part = parts[static_cast<size_t>(*item)];
    if (fs::exists(folder.part_path(part.split, part.index))) {
      ++summary.parts_reused;
      after_track(part.count);
      continue;
    }
    job.run(part, split_tracks[part.split], after_track);
  }
  queue.finish();  // every part is complete once this returns
  if (world.rank == 0) {
    progress.finish(queue.units_done());
    write_outputs(folder, settings, dataset, parts, duplicates, summary);
  }
  summary.seconds = progress.elapsed_seconds();
  return summary;
}

}  // namespace

PreprocessSummary run_preprocess(const cluster::World& world, const PreprocessSettings& settings) {
  // A part is renamed into place only once complete, so after a full disk the same command resumes where it stopped.
  return with_output_advice(settings.preprocess.output, "preprocess.output",
                            "rerun the same command to resume (finished parts are kept)",
                            [&] { return preprocess_into_folder(world, settings); });
}

}  // namespace musictag::preprocess
