// demo_jamendo_tags: genre tags from genres_all, instrument and mood/theme tags from a per-genre table, noise tags.
#include "preprocess/demo/demo_jamendo_tags.h"

#include <algorithm>
#include <map>
#include <set>

#include "preprocess/demo/demo_genre_tree.h"
#include "preprocess/demo/demo_random.h"

namespace musictag::preprocess {
namespace {

struct GenreExtras {
  std::vector<std::string> instruments;
  std::vector<std::string> moods;
};

// What each demo genre's synthesized layers sound like (DEMO_DATASET.md, "Audio"), as Jamendo tag names.
const std::map<int, GenreExtras>& genre_extras() {
  using namespace demo_genre;
  static const std::map<int, GenreExtras> extras = {
      {kRock, {{"guitar", "drums", "bass"}, {}}},
      {kElectronic, {{"synthesizer", "drummachine"}, {}}},
      {kHipHop, {{"beat", "bass"}, {}}},
      {kJazz, {{"doublebass", "piano", "drums"}, {"romantic"}}},
      {kClassical, {{"strings", "flute"}, {"calm"}}},
      {kFolk, {{"acousticguitar", "bass"}, {}}},
      {kExperimental, {{}, {"dark"}}},
      {kPop, {{"drums", "keyboard"}, {"happy"}}},
      {kPunk, {{"electricguitar"}, {"energetic"}}},
      {kMetal, {{"electricguitar", "drums"}, {"energetic"}}},
      {kIndieRock, {{"guitar"}, {}}},
      {kTechno, {{"synthesizer"}, {"energetic"}}},
      {kHouse, {{"piano"}, {"party"}}},
      {kAmbientElectronic, {{"pad"}, {"relaxing"}}},
      {kRap, {{"voice"}, {}}},
      {kFreeJazz, {{"saxophone"}, {}}},
      {kChamberMusic, {{"violin"}, {"melancholic"}}},
      {kSingerSongwriter, {{"voice"}, {"emotional"}}},
      {kNoise, {{}, {"dark"}}},
      {kAvantGarde, {{"bell"}, {}}},
      {kSynthPop, {{"synthesizer"}, {"happy"}}},
  };
  return extras;
}

// Tags an uploader might add that the audio does not carry.
const std::vector<std::string> kNoiseInstruments = {"computer", "harmonica", "organ", "percussion"};
const std::vector<std::string> kNoiseMoods = {"background", "children", "film", "nature", "summer", "travel"};
constexpr double kNoiseInstrumentChance = 0.2;
constexpr double kNoiseMoodChance = 0.3;

}  // namespace

std::string demo_jamendo_tag_name(const std::string& title) {
  std::string name;
  for (const char c : title) {
    if (c >= 'A' && c <= 'Z') name += static_cast<char>(c - 'A' + 'a');
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) name += c;
  }
  return name;
}

std::vector<std::string> demo_jamendo_tags(const DemoTrack& track, uint64_t seed) {
  std::set<std::string> tags;
  for (const int genre : track.genres_all) {
    tags.insert("genre---" + demo_jamendo_tag_name(demo_genre_tree().genre(genre).title));
    const auto it = genre_extras().find(genre);
    if (it == genre_extras().end()) continue;
    for (const auto& name : it->second.instruments) tags.insert("instrument---" + name);
    for (const auto& name : it->second.moods) tags.insert("mood/theme---" + name);
  }
  DemoRng rng(derive_demo_seed(seed, static_cast<uint64_t>(track.id), 0x7A6E));
  const bool noise_instrument = rng.chance(kNoiseInstrumentChance);
  const std::string& instrument = rng.pick(kNoiseInstruments);
  const bool noise_mood = rng.chance(kNoiseMoodChance);
  const std::string& mood = rng.pick(kNoiseMoods);
  if (noise_instrument) tags.insert("instrument---" + instrument);
  if (noise_mood) tags.insert("mood/theme---" + mood);
  return {tags.begin(), tags.end()};  // std::set: string order, so genre < instrument < mood/theme
}

}  // namespace musictag::preprocess
