// run_evaluation: checkpoint + dataset split -> predictions on every rank -> metrics and report files on rank 0.
#pragma once

#include "cluster/world.h"
#include "eval/eval_config.h"
#include "eval/report/eval_results.h"
#include "eval/report/report_writer.h"

namespace musictag::eval {

struct EvalOutcome {
  bool has_results = false;  // true on rank 0 only: the others score their block and return
  EvalResults results;       // metrics, interval and metadata (rank 0)
  ReportFiles files;         // the report folder (rank 0)
  std::string predictions_path;
  double seconds = 0.0;  // wall time of the whole evaluation
};

// Every rank: loads the checkpoint (eval.checkpoint) onto its device, opens eval.split of eval.dataset and refuses
// them when they do not belong together (check_checkpoint_matches_dataset: DataError naming both files), then
// scores its block of the split (score_split). Rank 0 then writes, under eval.output: predictions.h5 (segment
// rows, so the metrics can be recomputed without the model), the report (write_report: per_tag_auc.svg,
// per_tag.csv, eval.json, report.md, from evaluate_predictions with eval.aggregate and the bootstrap keys) and
// eval.yaml (the resolved `eval` section). Collective: every rank calls it.
EvalOutcome run_evaluation(const cluster::World& world, const EvalSettings& settings);

}  // namespace musictag::eval
