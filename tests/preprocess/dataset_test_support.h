// Test helpers for the dataset adapters: demo FMA metadata without audio, an independent reading of tracks.csv,
// DatasetConfig from YAML text, and checks that an error message names what it should.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

#include "cluster/config_file.h"
#include "cluster/csv_writer.h"
#include "demo_test_support.h"
#include "preprocess/demo/demo_genre_tree.h"
#include "preprocess/demo/demo_metadata_csv.h"
#include "preprocess/demo/demo_plan.h"
#include "preprocess/sources/csv_table.h"
#include "preprocess/sources/dataset_config.h"
#include "preprocess/sources/fma_list_literal.h"

namespace musictag::test {

// Writes <root>/fma_metadata/{tracks,genres}.csv of the demo plan (no audio: cheap for any size).
inline void write_demo_metadata(const fs::path& root, int tracks, uint64_t seed) {
  const preprocess::DemoPlan plan = preprocess::plan_demo_dataset(tracks, seed);
  fs::create_directories(root / "fma_metadata");
  std::ofstream t(root / "fma_metadata" / "tracks.csv", std::ios::binary);
  preprocess::write_demo_tracks_csv(t, plan, preprocess::demo_genre_tree());
  std::ofstream g(root / "fma_metadata" / "genres.csv", std::ios::binary);
  preprocess::write_demo_genres_csv(g, plan, preprocess::demo_genre_tree());
}

// One data row of tracks.csv read with the raw libcsv reader and header lookups, independent of load_fma.
struct ReferenceTrack {
  int64_t id = 0;
  std::string split, subset, genre_top;
  std::vector<int> genres, genres_all;
};

struct ReferenceFma {
  std::vector<ReferenceTrack> tracks;
  std::map<int, std::string> title;  // genre id → title from genres.csv (columns genre_id, title)
  std::map<int, int> parent;
};

inline ReferenceFma read_reference_fma(const fs::path& metadata) {
  ReferenceFma ref;
  const auto rows = preprocess::read_csv_file((metadata / "tracks.csv").string());
  const auto col = [&](const std::string& group, const std::string& name) {
    for (size_t i = 0; i < rows[0].size(); ++i)
      if (rows[0][i] == group && rows[1][i] == name) return i;
    throw std::runtime_error("reference: no column " + group + "." + name);
  };
  const size_t split = col("set", "split"), subset = col("set", "subset"), top = col("track", "genre_top"),
               genres = col("track", "genres"), all = col("track", "genres_all");
  for (size_t r = 3; r < rows.size(); ++r) {
    ReferenceTrack t;
    t.id = std::stoll(rows[r][0]);
    t.split = rows[r][split];
    t.subset = rows[r][subset];
    t.genre_top = rows[r][top];
    t.genres = preprocess::parse_int_list(rows[r][genres]);
    t.genres_all = preprocess::parse_int_list(rows[r][all]);
    ref.tracks.push_back(t);
  }
  const auto genre_rows = preprocess::read_csv_file((metadata / "genres.csv").string());
  for (size_t r = 1; r < genre_rows.size(); ++r) {
    ref.title[std::stoi(genre_rows[r][0])] = genre_rows[r][3];
    ref.parent[std::stoi(genre_rows[r][0])] = std::stoi(genre_rows[r][2]);
  }
  return ref;
}

// small < medium < large, as FMA's set.subset; `wanted` "full" takes everything.
inline bool in_subset(const std::string& subset, const std::string& wanted) {
  const std::vector<std::string> order = {"small", "medium", "large", "full"};
  const auto rank = [&](const std::string& s) { return std::find(order.begin(), order.end(), s) - order.begin(); };
  return rank(subset) <= rank(wanted);
}

// DatasetConfig from the body of a `dataset:` section, e.g. "{root: /x, subset: small}".
inline preprocess::DatasetConfig dataset_config(const std::string& body) {
  auto file = cluster::ConfigFile::from_string("dataset: " + body, "test.yaml");
  auto config = preprocess::DatasetConfig::from(file.section("dataset"));
  file.finish();
  return config;
}

// Copies tracks.csv + genres.csv to `to`/fma_metadata with `edit` applied to tracks.csv's rows (headers included).
template <typename Edit>
void copy_metadata_with_edit(const fs::path& from_root, const fs::path& to_root, Edit edit) {
  fs::create_directories(to_root / "fma_metadata");
  fs::copy_file(from_root / "fma_metadata" / "genres.csv", to_root / "fma_metadata" / "genres.csv",
                fs::copy_options::overwrite_existing);
  auto rows = preprocess::read_csv_file((from_root / "fma_metadata" / "tracks.csv").string());
  edit(rows);
  std::ofstream out(to_root / "fma_metadata" / "tracks.csv", std::ios::binary);
  CsvWriter writer(out);
  for (const auto& row : rows) writer.write_row(row);
}

// Runs `body`, expects exception E, and checks its message contains every part.
template <typename E, typename Body>
void expect_error(Body body, const std::vector<std::string>& parts) {
  try {
    body();
    ADD_FAILURE() << "expected an exception";
  } catch (const E& e) {
    const std::string message = e.what();
    for (const auto& part : parts)
      EXPECT_NE(message.find(part), std::string::npos) << "'" << message << "' lacks '" << part << "'";
  }
}

}  // namespace musictag::test
