// The demo's MTG-Jamendo tables, split files and tag lists as text, written atomically.
#include "preprocess/demo/demo_jamendo_files.h"

#include <fmt/format.h>

#include <set>
#include <vector>

#include "cluster/files.h"
#include "preprocess/sources/jamendo_dataset.h"
#include "preprocess/sources/jamendo_tsv.h"

namespace musictag::preprocess {
namespace fs = std::filesystem;
namespace {

// Python's csv module with delimiter '\t' ends every line with "\r\n"; nothing here needs quoting.
constexpr const char* kHeader = "TRACK_ID\tARTIST_ID\tALBUM_ID\tPATH\tDURATION\tTAGS\r\n";
const std::vector<JamendoTagSet> kTagSets = {JamendoTagSet::top50tags, JamendoTagSet::genre, JamendoTagSet::instrument,
                                             JamendoTagSet::moodtheme, JamendoTagSet::all};
const std::vector<std::string> kParts = {"train", "validation", "test"};

// One row, or "" when no tag is left: 5 + k fields, one tag per field.
std::string row_text(const DemoJamendoTrack& track, const std::vector<std::string>& tags) {
  if (tags.empty()) return "";
  std::string row = fmt::format("track_{:07d}\tartist_{:06d}\talbum_{:06d}\t{}\t{}", track.id, track.artist_id,
                                track.album_id, track.path, track.duration);
  for (const auto& tag : tags) row += "\t" + tag;
  return row + "\r\n";
}

std::string tag_list_text(const std::set<std::string>& tags) {
  std::string text;
  for (const auto& tag : tags) text += tag + "\n";
  return text;
}

}  // namespace

std::string demo_jamendo_table_text(const DemoJamendoPlan& plan, JamendoTagSet tag_set) {
  std::string text = kHeader;
  for (const auto& track : plan.tracks) {
    std::vector<std::string> tags;
    for (const auto& tag : track.tags)
      if (demo_jamendo_in_tag_set(plan, tag_set, tag)) tags.push_back(tag);
    text += row_text(track, tags);
  }
  return text;
}

std::string demo_jamendo_split_text(const DemoJamendoPlan& plan, JamendoTagSet tag_set, int split,
                                    const std::string& part) {
  std::string text = kHeader;
  for (const auto& track : plan.tracks) {
    if (track.split.at(static_cast<size_t>(split)) != part) continue;
    std::vector<std::string> tags;
    for (const auto& tag : track.tags)
      if (plan.split_tags.count(tag) != 0 && demo_jamendo_in_tag_set(plan, tag_set, tag)) tags.push_back(tag);
    text += row_text(track, tags);
  }
  return text;
}

void write_demo_jamendo_metadata(const fs::path& root, const DemoJamendoPlan& plan) {
  fs::create_directories(root / "tags");
  for (const JamendoTagSet tag_set : kTagSets) {
    const std::string prefix = jamendo_file_prefix(tag_set);
    write_file_atomically((root / (prefix + ".tsv")).string(), demo_jamendo_table_text(plan, tag_set));
    for (int k = 0; k < kDemoJamendoSplits; ++k) {
      const fs::path folder = root / "splits" / fmt::format("split-{}", k);
      fs::create_directories(folder);
      for (const auto& part : kParts)
        write_file_atomically((folder / (prefix + "-" + part + ".tsv")).string(),
                              demo_jamendo_split_text(plan, tag_set, k, part));
    }
  }
  std::set<std::string> moods, split_moods;
  for (const auto& track : plan.tracks)
    for (const auto& tag : track.tags)
      if (jamendo_tag_category(tag) == "mood/theme") moods.insert(tag);
  for (const auto& tag : plan.split_tags)
    if (jamendo_tag_category(tag) == "mood/theme") split_moods.insert(tag);
  write_file_atomically((root / "tags" / "top50.txt").string(), tag_list_text(plan.top50));
  write_file_atomically((root / "tags" / "moodtheme.txt").string(), tag_list_text(moods));
  write_file_atomically((root / "tags" / "moodtheme_split.txt").string(), tag_list_text(split_moods));
}

}  // namespace musictag::preprocess
