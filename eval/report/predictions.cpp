// Predictions <-> HDF5: whole-array datasets and string attributes through preprocess' RAII helpers; atomic write.
#include "eval/report/predictions.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <cstdio>
#include <set>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "preprocess/format/hdf5_attribute.h"
#include "preprocess/format/hdf5_check.h"
#include "preprocess/format/hdf5_dataset.h"
#include "preprocess/format/hdf5_handle.h"

namespace musictag::eval {
namespace {

namespace h5 = musictag::preprocess;

void write_file(const Predictions& p, const std::string& partial) {
  h5::Hdf5File file = h5::create_hdf5_file(partial);
  const hid_t id = file.get();
  const auto n = static_cast<hsize_t>(p.n_rows());
  const auto n_tags = static_cast<hsize_t>(p.n_tags());
  h5::write_hdf5_array(id, "scores", {n, n_tags}, p.scores, partial);
  h5::write_hdf5_array(id, "labels", {n, n_tags}, p.labels, partial);
  h5::write_hdf5_array(id, "track_id", {n}, p.track_ids, partial);
  h5::write_attribute(id, "format_version", kPredictionsFormatVersion, partial);
  h5::write_attribute(id, "tag_names", p.tag_names, partial);
  h5::write_attribute(id, "split", p.split, partial);
  h5::write_attribute(id, "checkpoint_sha256", p.checkpoint_sha256, partial);
  h5::write_attribute(id, "manifest_sha256", p.manifest_sha256, partial);
  H5_WRITE_CHECK(H5Fflush(id, H5F_SCOPE_GLOBAL), partial, partial);  // a full disk: IoError naming the file
  H5_WRITE_CHECK(H5Fclose(file.release()), partial, partial);
}

}  // namespace

void check_predictions(const Predictions& p, const std::string& context) {
  if (p.tag_names.empty()) {
    throw DataError(fmt::format("{}: predictions have no tags; pass the tag names of the manifest", context));
  }
  std::set<std::string> seen;
  for (const std::string& name : p.tag_names) {
    if (name.empty()) throw DataError(fmt::format("{}: a tag name is empty; check the manifest's tags", context));
    if (!seen.insert(name).second) {
      throw DataError(fmt::format("{}: tag '{}' appears twice; tag names must be unique", context, name));
    }
  }
  const size_t expected = p.n_rows() * p.n_tags();
  if (p.scores.size() != expected || p.labels.size() != expected) {
    throw DataError(
        fmt::format("{}: {} rows x {} tags need {} scores and labels, got {} scores and {} labels (a bug "
                    "in the caller)",
                    context, p.n_rows(), p.n_tags(), expected, p.scores.size(), p.labels.size()));
  }
  for (size_t i = 0; i < p.labels.size(); ++i) {
    if (p.labels[i] > 1) {
      throw DataError(fmt::format("{}: label {} of track {} (row {}), tag '{}' is not 0 or 1", context, p.labels[i],
                                  p.track_ids[i / p.n_tags()], i / p.n_tags(), p.tag_names[i % p.n_tags()]));
    }
  }
}

void write_predictions(const Predictions& predictions, const std::string& path) {
  check_predictions(predictions, fmt::format("predictions '{}'", path));
  const std::string partial = partial_path_of(path);
  try {
    write_file(predictions, partial);
  } catch (...) {
    std::remove(partial.c_str());
    throw;
  }
  commit_partial_file(partial, path);
}

Predictions read_predictions(const std::string& path) {
  if (!is_regular_file(path)) {
    throw DataError(
        fmt::format("predictions file '{}' does not exist; check the path (the eval harness writes "
                    "predictions.h5 into its output folder)",
                    path));
  }
  const h5::Hdf5File file = h5::open_hdf5_file(path);
  const hid_t id = file.get();
  const int64_t version = h5::read_int64_attribute(id, "format_version", path);
  if (version != kPredictionsFormatVersion) {
    throw DataError(
        fmt::format("predictions '{}' have format version {}, this build reads {}; rerun the eval "
                    "harness to rewrite them",
                    path, version, kPredictionsFormatVersion));
  }
  Predictions p;
  p.tag_names = h5::read_string_array_attribute(id, "tag_names", path);
  p.split = h5::read_string_attribute(id, "split", path);
  p.checkpoint_sha256 = h5::read_string_attribute(id, "checkpoint_sha256", path);
  p.manifest_sha256 = h5::read_string_attribute(id, "manifest_sha256", path);
  std::vector<hsize_t> score_dims, label_dims, id_dims;
  p.scores = h5::read_hdf5_array<float>(id, "scores", score_dims, path);
  p.labels = h5::read_hdf5_array<uint8_t>(id, "labels", label_dims, path);
  p.track_ids = h5::read_hdf5_array<int64_t>(id, "track_id", id_dims, path);
  const std::vector<hsize_t> matrix = {static_cast<hsize_t>(p.n_rows()), static_cast<hsize_t>(p.n_tags())};
  if (id_dims.size() != 1 || score_dims != matrix || label_dims != matrix) {
    throw DataError(
        fmt::format("predictions '{}': /scores is [{}], /labels [{}] and /track_id [{}], but {} tag "
                    "names need [n, {}] and [n]; the file is corrupt, rerun the eval harness",
                    path, fmt::join(score_dims, ", "), fmt::join(label_dims, ", "), fmt::join(id_dims, ", "),
                    p.n_tags(), p.n_tags()));
  }
  check_predictions(p, fmt::format("predictions '{}'", path));
  return p;
}

}  // namespace musictag::eval
