// musictag-preprocess: raw dataset (FMA / MagnaTagATune) → log-mel HDF5 parts, manifest.json and failures.tsv.
#include <CLI/CLI.hpp>

extern "C" {
#include <libavutil/log.h>
}

#include "cluster/command_line.h"
#include "cluster/fatal.h"
#include "cluster/log.h"
#include "cluster/progress_meter.h"
#include "cluster/world.h"
#include "preprocess/preprocess_run.h"

int main(int argc, char** argv) {
  using namespace musictag;
  CLI::App app{
      "Turns a dataset (FMA: tracks.csv + genres.csv + mp3s; MagnaTagATune: annotations_final.csv + mp3s) into "
      "log-mel HDF5 part files with manifest.json and failures.tsv. Run alone, under `mpirun -np N` or "
      "`srun --mpi=pmix`: ranks share the parts dynamically, and the output does not depend on their number. "
      "Rerunning the same command resumes: only missing parts are computed.",
      "musictag-preprocess"};
  cluster::ConfigFlags flags;
  preprocess::PreprocessSettings settings;
  flags.add_to(app, [&settings](cluster::ConfigFile& file) { settings = preprocess::PreprocessSettings::read(file); });
  bool overwrite = false;
  app.add_flag("--overwrite", overwrite,
               "Replace an output folder made with a different config (its parts are deleted)");
  app.footer(
      "Example: mpirun -np 4 musictag-preprocess --config configs/fma_medium.yaml "
      "--set preprocess.output=/scratch/fma_medium_mel");
  CLI11_PARSE(app, argc, argv);

  // FFmpeg's own warnings about damaged files would drown the progress lines; every track that cannot be used
  // gets a row with FFmpeg's reason in failures.tsv instead.
  av_log_set_level(AV_LOG_FATAL);
  return cluster::run_guarded([&] {
    const cluster::World& world = cluster::World::resolve();
    flags.load();  // reads and validates every section into `settings`
    settings.overwrite = overwrite;
    if (world.rank == 0) log::info("resolved config:\n{}", settings.resolved_config);
    if (flags.print_only()) return cluster::kExitOk;
    const auto summary = preprocess::run_preprocess(world, settings);
    if (world.rank == 0) {
      log::info(
          "done in {}: {} tracks in {} examples, {} failed (see {}/failures.tsv), {} of {} parts reused, {} "
          "duplicate group{} ({} beyond the first id, {} dropped)",
          cluster::format_duration(summary.seconds), summary.tracks_done, summary.examples, summary.tracks_failed,
          settings.preprocess.output, summary.parts_reused, summary.parts, summary.duplicate_groups,
          summary.duplicate_groups == 1 ? "" : "s", summary.duplicate_tracks, summary.duplicates_dropped);
    }
    return cluster::kExitOk;
  });
}
