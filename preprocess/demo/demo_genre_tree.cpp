// Definition of the demo genre tree.
#include "preprocess/demo/demo_genre_tree.h"

namespace musictag::preprocess {

const GenreTree& demo_genre_tree() {
  using namespace demo_genre;
  static const GenreTree tree({
      {kRock, 0, "Rock"},
      {kElectronic, 0, "Electronic"},
      {kHipHop, 0, "Hip-Hop"},
      {kJazz, 0, "Jazz"},
      {kClassical, 0, "Classical"},
      {kFolk, 0, "Folk"},
      {kExperimental, 0, "Experimental"},
      {kPop, 0, "Pop"},
      {kPunk, kRock, "Punk"},
      {kMetal, kRock, "Metal"},
      {kIndieRock, kRock, "Indie-Rock"},
      {kTechno, kElectronic, "Techno"},
      {kHouse, kElectronic, "House"},
      {kAmbientElectronic, kElectronic, "Ambient Electronic"},
      {kRap, kHipHop, "Rap"},
      {kFreeJazz, kJazz, "Free-Jazz"},
      {kChamberMusic, kClassical, "Chamber Music"},
      {kSingerSongwriter, kFolk, "Singer-Songwriter"},
      {kNoise, kExperimental, "Noise"},
      {kAvantGarde, kExperimental, "Avant-Garde"},
      {kSynthPop, kPop, "Synth Pop"},
  });
  return tree;
}

}  // namespace musictag::preprocess
