// musictag-eval: a checkpoint on one split of a preprocessed dataset -> per-tag ROC-AUC / PR-AUC, CI, report files.
#include <CLI/CLI.hpp>

#include "cluster/command_line.h"
#include "cluster/fatal.h"
#include "cluster/io_error.h"
#include "cluster/log.h"
#include "cluster/malloc_tuning.h"
#include "cluster/progress_meter.h"
#include "cluster/world.h"
#include "eval/eval_harness.h"

int main(int argc, char** argv) {
  musictag::cluster::keep_freed_tensor_memory();
  using namespace musictag;
  CLI::App app{
      "Evaluates a musictag-train checkpoint on one split of a musictag-preprocess output folder: per-tag ROC-AUC "
      "and PR-AUC (= scikit-learn), macro and micro averages, a bootstrap confidence interval of the macro ROC-AUC. "
      "Run alone, under `mpirun -np N` or `srun --mpi=pmix`: each rank scores a block of the split, rank 0 gathers, "
      "pools segments to tracks (eval.aggregate) and writes to eval.output: eval.json (every number, the config, "
      "the checkpoint's and manifest's sha256), per_tag.csv, report.md, per_tag_auc.svg, predictions.h5 (the "
      "scores, to recompute metrics without the model) and eval.yaml. Model, features and tags come from the "
      "checkpoint; a dataset with other features or tags is refused. The config file may hold every pipeline "
      "section (e.g. configs/demo.yaml); only `eval` is read.\n"
      "Exit codes: 0 done, 1 unexpected error, 2 config error, 3 data error (missing/corrupt/mismatched "
      "checkpoint or dataset), 4 communication error, 5 I/O error (disk full, read-only eval.output); malformed "
      "flags get CLI11's codes (>= 100).",
      "musictag-eval"};
  cluster::ConfigFlags flags;
  eval::EvalSettings settings;
  flags.add_to(app, [&settings](cluster::ConfigFile& file) { settings = eval::EvalSettings::read(file); });
  app.footer("Example: mpirun -np 2 musictag-eval --config configs/demo.yaml --set eval.split=validation");
  CLI11_PARSE(app, argc, argv);

  return cluster::run_guarded([&] {
    const cluster::World& world = cluster::World::resolve();
    flags.load();
    if (world.rank == 0) log::info("resolved config:\n{}", settings.resolved_config);
    if (flags.print_only()) return cluster::kExitOk;
    // A full disk or read-only eval.output: one line naming the file, then what to do (exit code 5).
    const eval::EvalOutcome outcome = with_output_advice(settings.eval.output, "eval.output", "rerun the same command",
                                                         [&] { return eval::run_evaluation(world, settings); });
    if (outcome.has_results) {
      log::info("done in {}: predictions {}", cluster::format_duration(outcome.seconds), outcome.predictions_path);
      log::info("{}", eval::format_summary(outcome.results, outcome.files.markdown_path()));
    }
    return cluster::kExitOk;
  });
}
