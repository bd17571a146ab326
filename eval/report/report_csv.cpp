// per_tag.csv writer on cluster's CsvWriter (minimal RFC 4180 quoting).
#include "eval/report/report_csv.h"

#include <sstream>

#include "cluster/csv_writer.h"
#include "cluster/files.h"
#include "eval/report/report_format.h"

namespace musictag::eval {

std::string per_tag_csv(const EvalResults& results) {
  check_eval_results(results, "per_tag.csv");
  const TagMetrics& m = results.metrics;
  std::ostringstream out;
  CsvWriter csv(out);
  csv.write_row({"tag", "positives", "roc_auc", "pr_auc"});
  for (const size_t t : tags_by_roc_auc(m)) {
    csv.write_row({results.tag_names[t], std::to_string(m.positives[t]),
                   m.roc_auc[t] ? format_round_trip(*m.roc_auc[t]) : "",
                   m.pr_auc[t] ? format_round_trip(*m.pr_auc[t]) : ""});
  }
  return out.str();
}

void write_per_tag_csv(const EvalResults& results, const std::string& path) {
  write_file_atomically(path, per_tag_csv(results));
}

}  // namespace musictag::eval
