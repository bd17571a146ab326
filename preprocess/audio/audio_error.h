// AudioError: a track whose audio cannot be used, with the stage that found it (for failures.tsv).
#pragma once

#include <string>

#include "cluster/errors.h"

namespace musictag::preprocess {

// Stages: "missing" (no file), "empty" (zero bytes), "open" (not audio, unsupported, no audio stream),
// "decode" (nothing decodable), "too_short", "silent", "augment". The message names the file.
class AudioError : public DataError {
 public:
  AudioError(std::string stage, const std::string& message) : DataError(message), stage_(std::move(stage)) {}
  const std::string& stage() const { return stage_; }

 private:
  std::string stage_;
};

}  // namespace musictag::preprocess
