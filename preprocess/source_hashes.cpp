// Source hashes: strided over the ranks, combined with one MPI_Allreduce, cached in source_sha256.tsv.
#include "preprocess/source_hashes.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "cluster/errors.h"
#include "cluster/files.h"
#include "cluster/mpi_check.h"
#include "preprocess/failure_log.h"
#include "preprocess/format/sha256.h"

namespace musictag::preprocess {
namespace fs = std::filesystem;
namespace {

constexpr const char* kHeader = "track_id\tsplit\tpath\tsha256";
constexpr size_t kHexDigits = 64;

// Everything of a row but its sha256.
std::string row_prefix(const TrackRecord& track) {
  return fmt::format("{}\t{}\t{}\t", track.track_id, track.split, sanitize_tsv_field(track.audio_path));
}

bool is_hex_digest(const std::string& text) {
  return text.size() == kHexDigits &&
         std::all_of(text.begin(), text.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

}  // namespace

std::string format_source_hashes(const std::vector<TrackRecord>& tracks, const std::vector<std::string>& sha256) {
  std::string text = std::string(kHeader) + "\n";
  for (size_t i = 0; i < tracks.size(); ++i) text += row_prefix(tracks[i]) + sha256.at(i) + "\n";
  return text;
}

std::vector<std::string> parse_source_hashes(const std::string& table_text, const std::vector<TrackRecord>& tracks) {
  std::istringstream in(table_text);
  std::string line;
  if (!std::getline(in, line) || line != kHeader) return {};
  std::vector<std::string> sha256;
  for (const auto& track : tracks) {
    const std::string prefix = row_prefix(track);
    if (!std::getline(in, line) || line.compare(0, prefix.size(), prefix) != 0) return {};
    std::string digest = line.substr(prefix.size());
    if (!digest.empty() && !is_hex_digest(digest)) return {};
    sha256.push_back(std::move(digest));
  }
  if (std::getline(in, line)) return {};  // rows beyond the dataset's tracks
  return sha256;
}

SourceHashes hash_source_files(const cluster::World& world, const std::vector<TrackRecord>& tracks,
                               const std::string& table_path) {
  if (world.size > 1 && !world.mpi)
    throw CommError(
        fmt::format("{} processes were started without MPI ({}); preprocessing shares work over MPI: launch with "
                    "`srun --mpi=pmix` or `mpirun`",
                    world.size, world.label()));
  cluster::OwnedMpiComm comm;
  if (world.size > 1) comm = cluster::OwnedMpiComm::duplicate(MPI_COMM_WORLD);
  SourceHashes result;
  // Rank 0 decides whether the table of an earlier run fits, and every rank follows (a shared decision: ranks that
  // read the file themselves could disagree and hang in the collective below).
  std::vector<std::string> table;
  if (world.rank == 0 && fs::exists(table_path)) table = parse_source_hashes(read_whole_file(table_path), tracks);
  int reused = !tracks.empty() && table.size() == tracks.size() ? 1 : 0;
  if (world.size > 1) MPI_CHECK(MPI_Bcast(&reused, 1, MPI_INT, 0, comm.get()));
  result.reused = reused == 1;

  // Fixed-width slots, all zero but this rank's, OR-ed together: every rank ends with every digest (each needs
  // them: the dropped duplicates change the part plan).
  std::vector<char> slots(tracks.size() * kHexDigits, 0);
  const auto put = [&](size_t i, const std::string& digest) {
    std::copy(digest.begin(), digest.end(), slots.begin() + static_cast<std::ptrdiff_t>(i * kHexDigits));
  };
  int64_t bytes = 0;
  if (result.reused) {
    if (world.rank == 0)
      for (size_t i = 0; i < tracks.size(); ++i) put(i, table[i]);
  } else {
    for (size_t i = static_cast<size_t>(world.rank); i < tracks.size(); i += static_cast<size_t>(world.size)) {
      try {
        put(i, sha256_file(tracks[i].audio_path));
        std::error_code ignored;
        bytes += static_cast<int64_t>(fs::file_size(tracks[i].audio_path, ignored));
      } catch (const DataError&) {
        // Missing or unreadable: in no group; the part job records the failure when it decodes the file.
      }
    }
  }
  if (world.size > 1) {
    MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, slots.data(), static_cast<int>(slots.size()), MPI_BYTE, MPI_BOR, comm.get()));
    MPI_CHECK(MPI_Allreduce(MPI_IN_PLACE, &bytes, 1, MPI_INT64_T, MPI_SUM, comm.get()));
  }
  result.bytes = bytes;
  for (size_t i = 0; i < tracks.size(); ++i) {
    const std::string slot(slots.data() + i * kHexDigits, kHexDigits);
    result.sha256.push_back(slot[0] == '\0' ? std::string() : slot);
  }
  if (world.rank == 0 && !result.reused) write_file_atomically(table_path, format_source_hashes(tracks, result.sha256));
  return result;
}

}  // namespace musictag::preprocess
