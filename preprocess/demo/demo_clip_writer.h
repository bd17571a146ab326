// Writes one planned demo track's audio file: a synthesized 30 s MP3, or one of FMA's kinds of broken file.
#pragma once

#include <filesystem>

#include "preprocess/demo/demo_plan.h"

namespace musictag::preprocess {

constexpr double kDemoClipSeconds = 30.0;
constexpr double kDemoShortClipSeconds = 5.0;
constexpr int kDemoSampleRate = 44100;

// Writes <audio_dir>/<NNN>/<NNNNNN>.mp3 for `track` (kMissing: makes sure there is none). The bytes go to
// "<file>.partial" first and are renamed when complete, so an interrupted run never leaves a half file under
// the final name. Returns the size written in bytes.
uintmax_t write_demo_clip(const std::filesystem::path& audio_dir, const DemoPlan& plan, const DemoTrack& track);

// The same at any path (the MTG-Jamendo demo's NN/<id>.mp3); its folder is created.
uintmax_t write_demo_clip_file(const std::filesystem::path& file, const DemoPlan& plan, const DemoTrack& track);

}  // namespace musictag::preprocess
