// musictag-train: data-parallel training of a tagging model (model.kind) on a preprocessed dataset, with validation,
// checkpoints and resume; --describe-model prints the configured model instead.
#include <CLI/CLI.hpp>

#include <cstdio>

#include "cluster/command_line.h"
#include "cluster/fatal.h"
#include "cluster/io_error.h"
#include "cluster/log.h"
#include "cluster/malloc_tuning.h"
#include "cluster/world.h"
#include "train/stop_signal.h"
#include "train/trainer.h"

int main(int argc, char** argv) {
  musictag::cluster::keep_freed_tensor_memory();
  using namespace musictag;
  CLI::App app{
      "Trains a music tagger (model.kind: the CRNN of Choi et al. 2016 by default, or a model of Won et al. 2020) on a "
      "musictag-preprocess output folder. One process per GPU "
      "(NCCL) or CPU rank (MPI): run alone, under `mpirun -np N` or `srun --mpi=pmix`. Gradients are averaged in "
      "buckets while backward runs. Rank 0 writes checkpoints, metrics.jsonl and curves.svg to train.output.\n"
      "Exit codes: 0 done, 2 config error, 3 data error, 4 communication error, 5 I/O error (disk full, read-only: "
      "free space and rerun), 75 stopped by SIGTERM/SIGUSR1 "
      "after writing a checkpoint (rerun with --resume auto to continue).",
      "musictag-train"};
  cluster::ConfigFlags flags;
  train::TrainSettings settings;
  flags.add_to(app, [&settings](cluster::ConfigFile& file) { settings = train::TrainSettings::read(file); });
  std::string resume = "auto";
  app.add_option("--resume", resume,
                 "auto: continue from the newest complete checkpoint in <train.output>/checkpoints if any; none: "
                 "start afresh; or a checkpoint file")
      ->capture_default_str();
  bool describe = false;
  app.add_flag("--describe-model", describe,
               "Print the configured model (model.kind and its keys): each step's output shape and parameters, and "
               "the exact trainable parameter count; then exit without training. Tags: model.n_tags, else "
               "train.dataset's manifest");
  app.footer(
      "Example: mpirun -np 2 musictag-train --config configs/demo.yaml --set train.epochs=5\n"
      "         musictag-train --describe-model --set model.kind=short_chunk_resnet --set model.n_tags=50");
  CLI11_PARSE(app, argc, argv);

  return cluster::run_guarded([&] {
    const cluster::World& world = cluster::World::resolve();
    flags.load();
    if (describe) {
      if (world.rank == 0) std::fputs(train::describe_configured_model(settings).c_str(), stdout);
      return cluster::kExitOk;
    }
    if (world.rank == 0) log::info("resolved config:\n{}", settings.resolved_config);
    if (flags.print_only()) return cluster::kExitOk;
    // A full disk or read-only train.output: one line naming the file, then what to do (exit code 5).
    const auto outcome =
        with_output_advice(settings.train.output, "train.output",
                           "rerun the same command to continue from the newest complete checkpoint (--resume auto)",
                           [&] { return train::run_training(world, settings, resume); });
    if (world.rank == 0 && outcome.exit_code == cluster::kExitOk)
      log::info(
          "done: {} steps, {} epochs, best epoch {} (by {}): validation macro ROC-AUC {:.4f}, loss {:.4f}; "
          "checkpoints in {}/checkpoints",
          outcome.steps, outcome.epochs_done, outcome.best_epoch,
          choice_name(train::kBestByNames, settings.train.select_best_by), outcome.best_auc.value_or(NAN),
          outcome.best_loss.value_or(NAN), settings.train.output);
    return outcome.exit_code;
  });
}
