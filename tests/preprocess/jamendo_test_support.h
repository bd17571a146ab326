// Test helpers for the MTG-Jamendo adapter: demo metadata without audio, hand-written TSV files, the Python csv
// reference reader (jamendo_reference.py) and the same text made from a DatasetIndex.
#pragma once

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include "demo_test_support.h"
#include "preprocess/demo/demo_jamendo_files.h"
#include "preprocess/demo/demo_jamendo_plan.h"
#include "preprocess/sources/dataset_index.h"

namespace musictag::test {

// Writes the demo plan's MTG-Jamendo metadata (tables, 5 splits, tags/) below `root`; no audio: cheap at any size.
inline void write_demo_jamendo_metadata(const fs::path& root, int tracks, uint64_t seed) {
  const preprocess::DemoPlan plan = preprocess::plan_demo_dataset(tracks, seed);
  preprocess::write_demo_jamendo_metadata(root, preprocess::plan_demo_jamendo(plan, seed));
}

// Writes rows joined by tabs, each ended by `eol` ("\r\n" as MTG's files, or "\n").
inline void write_tsv(const fs::path& path, const std::vector<std::vector<std::string>>& rows,
                      const std::string& eol = "\r\n") {
  fs::create_directories(path.parent_path());
  std::ofstream out(path, std::ios::binary);
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) out << (i ? "\t" : "") << row[i];
    out << eol;
  }
}

// Runs `command` through the shell: (stdout and stderr, exit status).
inline std::pair<std::string, int> run_command(const std::string& command) {
  std::string output;
  FILE* pipe = ::popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {"", -1};
  char buffer[4096];
  size_t got;
  while ((got = std::fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, got);
  return {output, ::pclose(pipe)};
}

// jamendo_reference.py's text for (root, split, tag set): Python's csv module reading the split files.
inline std::pair<std::string, int> python_reference(const fs::path& root, int split, const std::string& tag_set) {
  const char* source = std::getenv("MUSICTAG_SOURCE_DIR");
  const fs::path script = fs::path(source != nullptr ? source : ".") / "tests" / "preprocess" / "jamendo_reference.py";
  return run_command("python3 '" + script.string() + "' '" + root.string() + "' " + std::to_string(split) + " " +
                     tag_set);
}

// The same text from the adapter's index: vocabulary, then split, id, PATH (audio_path below `audio_folder`) and
// the names of the tags set to 1 (in vocabulary order, which is sorted).
inline std::string index_text(const preprocess::DatasetIndex& index, const fs::path& audio_folder) {
  std::string text = "vocabulary";
  for (const auto& tag : index.tag_names) text += "\t" + tag;
  text += "\n";
  for (const auto& track : index.tracks) {
    text += track.split + "\t" + std::to_string(track.track_id) + "\t" +
            fs::path(track.audio_path).lexically_relative(audio_folder).string();
    for (size_t i = 0; i < track.tags.size(); ++i)
      if (track.tags[i] != 0) text += "\t" + index.tag_names[i];
    text += "\n";
  }
  return text;
}

}  // namespace musictag::test
