// MTG-Jamendo-style tags for a demo track: genre, instrument and mood/theme tags derived from its demo genres.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/demo/demo_plan.h"

namespace musictag::preprocess {

// The two tags the demo gives to exactly one track, so that MTG's rule "tags too rare are dropped from the split
// files" drops them (the real splits drop instrument---ukulele and mood/theme---horror the same way).
inline constexpr const char* kDemoJamendoRareInstrument = "instrument---ukulele";
inline constexpr const char* kDemoJamendoRareMood = "mood/theme---horror";

// The tags of `track` as MTG-Jamendo writes them, string-sorted (genre, then instrument, then mood/theme):
//   - genre---<title>: every genre of genres_all, the demo title lower-cased with only [a-z0-9] kept
//     (Hip-Hop -> genre---hiphop), so the audio carries every genre tag;
//   - instrument--- and mood/theme--- tags that the genres' synthesized layers suggest (Rock: guitar, drums, bass;
//     Free-Jazz: saxophone; Pop: mood/theme---happy ...), so these are audible too;
//   - now and then one uploader-style noise tag (an instrument or a mood/theme the audio does not carry), drawn from
//     a stream keyed by (seed, track id).
std::vector<std::string> demo_jamendo_tags(const DemoTrack& track, uint64_t seed);

// "Hip-Hop" -> "hiphop": lower case, only ASCII letters and digits kept (MTG-Jamendo's tag names are [a-z0-9]+).
std::string demo_jamendo_tag_name(const std::string& title);

}  // namespace musictag::preprocess
