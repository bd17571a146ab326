// The demo plan in MTG-Jamendo's terms: a row per track with all its tags, five splits, the split files' tags.
#pragma once

#include <array>
#include <cstdint>
#include <set>
#include <string>
#include <vector>

#include "preprocess/demo/demo_plan.h"
#include "preprocess/sources/dataset_config.h"

namespace musictag::preprocess {

inline constexpr int kDemoJamendoSplits = 5;        // splits/split-0 .. split-4, as MTG-Jamendo
inline constexpr int kDemoJamendoMinTagTracks = 2;  // a tag on fewer tracks is too rare for the split files

struct DemoJamendoTrack {
  int64_t id = 0;  // the demo track id, written as track_%07d
  int artist_id = 0, album_id = 0;
  std::string path;                                     // "NN/<id>.mp3" (NN = id mod 100)
  std::string duration;                                 // seconds of the audio file, one decimal: "30.0"
  std::vector<std::string> tags;                        // every tag, as autotagging.tsv lists it; sorted
  std::array<std::string, kDemoJamendoSplits> split{};  // "train", "validation" or "test" in split-<k>
};

struct DemoJamendoPlan {
  std::vector<DemoJamendoTrack> tracks;  // by id
  std::set<std::string> split_tags;      // tags the split files keep: on >= kDemoJamendoMinTagTracks tracks
  std::set<std::string> top50;           // the 50 most frequent of split_tags (ties by name): the top50tags set
};

// Tags from demo_jamendo_tags(); the lowest-id good track trades its instrument and mood/theme tags for the rare
// kDemoJamendoRareInstrument / kDemoJamendoRareMood, so the instrument and moodtheme tables hold a track their
// split files drop (as the real ones do). split-0 is the FMA demo's own artist-disjoint split; split-1..4 redo
// assign_demo_splits with their own random streams, so every split partitions the same tracks differently.
DemoJamendoPlan plan_demo_jamendo(const DemoPlan& plan, uint64_t seed);

// MTG-Jamendo's PATH of a track: 3905 -> "05/3905.mp3".
std::string demo_jamendo_relative_path(int64_t track_id);

// Whether the files of `tag_set` keep `tag` (before the split files' own rule, split_tags): genre / instrument /
// moodtheme by category, top50tags by membership of plan.top50, all every tag.
bool demo_jamendo_in_tag_set(const DemoJamendoPlan& plan, JamendoTagSet tag_set, const std::string& tag);

}  // namespace musictag::preprocess
