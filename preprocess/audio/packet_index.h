// PacketIndex: where every packet of an audio stream starts, in the file and in the decoded samples (demux only).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/audio/audio_stream.h"

namespace musictag::preprocess {

// Built by reading every packet of the stream without decoding any (a few ms for 5 minutes of mp3), so positions
// are exact: counted from the start, never estimated from a bit rate or a seek table as av_seek_frame's are for
// mp3. Sample positions are those of a decode from the start (AudioLoader::load): the encoder's priming (the first
// packet's skip-samples side data, e.g. 1105 for LAME) and the end padding are left out, and a damaged packet still
// counts (the decoder would drop it), so a corrupt packet, or an mp3 packet without a frame header (junk the demuxer
// passes on, e.g. a tag mid-file), makes the index inexact.
struct PacketIndex {
  std::vector<int64_t> byte_position;  // packet i's position in the file (AVPacket::pos)
  std::vector<int64_t> first_sample;   // decoded-sample index of packet i's first sample (negative: priming)
  int64_t total_samples = 0;           // samples a decode from the start yields, at the stream's rate
  bool exact = false;                  // false: some packet has no position or duration, is marked corrupt, or
                                       // trims samples other than at the start and end; use a full decode
  std::string why_not;                 // what made it inexact (for the debug log)
};

// Reads the packets of `stream` from its current position (just opened: the start) to the end of the file.
// Leaves the demuxer at the end; seek before reading again.
PacketIndex index_packets(OpenedStream& stream);

}  // namespace musictag::preprocess
