// Each genre's sound signature: the layers it adds (with levels) and, for roots, tempo range and harmony style.
#include "cluster/errors.h"
#include "preprocess/demo/demo_genre_tree.h"
#include "preprocess/demo/demo_synth_layers.h"

namespace musictag::preprocess::synth {

namespace g = demo_genre;

std::vector<LayerSpec> genre_layers(int genre) {
  switch (genre) {
    case g::kRock:
      return {{rock_drums, 0, true}, {rock_guitar, -2, false}, {rock_bass, -3, false}};
    case g::kElectronic:
      return {{electronic_beat, 0, true}, {electronic_arp, -3, false}, {electronic_sub, -2, false}};
    case g::kHipHop:
      return {{hiphop_drums, 0, true}, {hiphop_808, -1, false}, {hiphop_vinyl, -9, true}};
    case g::kJazz:
      return {{jazz_ride, -3, true}, {jazz_walking_bass, -1, false}, {jazz_comping, -3, false}};
    case g::kClassical:
      return {{classical_strings, 0, false}, {classical_flute, -3, false}};
    case g::kFolk:
      return {{folk_strum, 0, false}, {folk_bass, -3, false}};
    case g::kExperimental:
      return {{experimental_drone, -2, false}, {experimental_glissandi, -3, false}, {experimental_grains, -4, true}};
    case g::kPop:
      return {{pop_drums, 0, true}, {pop_lead, -2, false}, {pop_pad, -4, false}};
    case g::kPunk:
      return {{punk_guitar, -1, false}};
    case g::kMetal:
      return {{metal_chugs, -1, true}};
    case g::kIndieRock:
      return {{indie_jangle, -2, false}};
    case g::kTechno:
      return {{techno_acid, -1, false}};
    case g::kHouse:
      return {{house_stabs, -2, true}};
    case g::kAmbientElectronic:
      return {{ambient_shimmer, -1, false}};
    case g::kRap:
      return {{rap_voice, -1, false}};
    case g::kFreeJazz:
      return {{free_jazz_sax, -2, false}};
    case g::kChamberMusic:
      return {{chamber_violin, -2, false}};
    case g::kSingerSongwriter:
      return {{singer_voice, -2, false}};
    case g::kNoise:
      return {{harsh_noise, -2, false}};
    case g::kAvantGarde:
      return {{avant_garde_bells, -2, false}};
    case g::kSynthPop:
      return {{synthpop_supersaw, -2, false}};
    default:
      throw ConfigError("demo synth: genre " + std::to_string(genre) + " has no sound");
  }
}

RootStyle root_style(int root) {
  switch (root) {
    case g::kRock:
      return {110, 140, false, false};
    case g::kElectronic:
      return {120, 132, false, false};
    case g::kHipHop:
      return {80, 96, false, false};
    case g::kJazz:
      return {110, 180, false, true};
    case g::kClassical:
      return {60, 90, true, false};
    case g::kFolk:
      return {85, 115, false, false};
    case g::kExperimental:
      return {70, 130, true, false};
    default:
      return {96, 124, false, false};  // Pop
  }
}

}  // namespace musictag::preprocess::synth
