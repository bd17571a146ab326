// plan_demo_jamendo: per-track Jamendo tags, the rare tags the splits drop, five artist-disjoint splits, top 50.
#include "preprocess/demo/demo_jamendo_plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <utility>

#include "preprocess/demo/demo_clip_writer.h"
#include "preprocess/demo/demo_jamendo_tags.h"
#include "preprocess/demo/demo_random.h"
#include "preprocess/demo/demo_split.h"
#include "preprocess/sources/jamendo_tsv.h"

namespace musictag::preprocess {
namespace {

std::string part_of(const std::string& demo_split) { return demo_split == "training" ? "train" : demo_split; }

// Gives the lowest-id good track the two rare tags in place of its instrument and mood/theme tags.
void add_rare_tags(DemoJamendoPlan& out, const DemoPlan& plan) {
  for (size_t i = 0; i < plan.tracks.size(); ++i) {
    if (plan.tracks[i].kind != DemoClipKind::kGood) continue;
    auto& tags = out.tracks[i].tags;
    tags.erase(std::remove_if(tags.begin(), tags.end(),
                              [](const std::string& tag) { return jamendo_tag_category(tag) != "genre"; }),
               tags.end());
    tags.push_back(kDemoJamendoRareInstrument);
    tags.push_back(kDemoJamendoRareMood);
    std::sort(tags.begin(), tags.end());
    return;
  }
}

}  // namespace

std::string demo_jamendo_relative_path(int64_t track_id) {
  return fmt::format("{:02d}/{}.mp3", track_id % 100, track_id);
}

DemoJamendoPlan plan_demo_jamendo(const DemoPlan& plan, uint64_t seed) {
  DemoJamendoPlan out;
  for (const DemoTrack& t : plan.tracks) {
    DemoJamendoTrack row;
    row.id = t.id;
    row.artist_id = plan.artists.at(t.artist).id;
    row.album_id = plan.albums.at(t.album).id;
    row.path = demo_jamendo_relative_path(t.id);
    row.duration = fmt::format("{:.1f}", t.kind == DemoClipKind::kShort ? kDemoShortClipSeconds : kDemoClipSeconds);
    row.tags = demo_jamendo_tags(t, seed);
    row.split[0] = part_of(t.split);
    out.tracks.push_back(std::move(row));
  }
  add_rare_tags(out, plan);

  for (int k = 1; k < kDemoJamendoSplits; ++k) {
    DemoPlan copy = plan;
    DemoRng rng(derive_demo_seed(seed, static_cast<uint64_t>(k), 0x5B117));
    assign_demo_splits(copy, rng);
    for (size_t i = 0; i < copy.tracks.size(); ++i) out.tracks[i].split[k] = part_of(copy.tracks[i].split);
  }

  std::map<std::string, int64_t> counts;
  for (const auto& row : out.tracks)
    for (const auto& tag : row.tags) ++counts[tag];
  std::vector<std::pair<std::string, int64_t>> ranked;
  for (const auto& [tag, count] : counts) {
    if (count < kDemoJamendoMinTagTracks) continue;
    out.split_tags.insert(tag);
    ranked.emplace_back(tag, count);
  }
  std::stable_sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
  for (size_t i = 0; i < ranked.size() && i < 50; ++i) out.top50.insert(ranked[i].first);
  return out;
}

bool demo_jamendo_in_tag_set(const DemoJamendoPlan& plan, JamendoTagSet tag_set, const std::string& tag) {
  switch (tag_set) {
    case JamendoTagSet::top50tags:
      return plan.top50.count(tag) != 0;
    case JamendoTagSet::genre:
      return jamendo_tag_category(tag) == "genre";
    case JamendoTagSet::instrument:
      return jamendo_tag_category(tag) == "instrument";
    case JamendoTagSet::moodtheme:
      return jamendo_tag_category(tag) == "mood/theme";
    case JamendoTagSet::all:
      return true;
  }
  return false;
}

}  // namespace musictag::preprocess
