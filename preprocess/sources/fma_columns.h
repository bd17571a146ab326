// The 52 columns of FMA's tracks.csv (group, name) in file order, shared by the FMA adapter and the demo generator.
#pragma once

#include <string>
#include <vector>

namespace musictag::preprocess {

struct FmaColumn {
  std::string group;  // header line 1: album, artist, set or track
  std::string name;   // header line 2
};

// All 52 columns in the order FMA's tracks.csv has them (groups and names sorted alphabetically).
const std::vector<FmaColumn>& fma_track_columns();

// Index of (group, name) in fma_track_columns(), or -1 when FMA has no such column.
int fma_track_column_index(const std::string& group, const std::string& name);

}  // namespace musictag::preprocess
