// From errno to IoError: tells the environment's failures (disk full, read-only, ...) from the data's, in plain words.
#include "cluster/io_error.h"

#include <fmt/format.h>
#include <sys/statvfs.h>

#include <cerrno>
#include <cstring>

namespace musictag {
namespace {

std::string system_words(int error) { return error == 0 ? "the system gave no reason" : std::strerror(error); }

std::string format_bytes(int64_t bytes) {
  if (bytes < 1024 * 1024) return fmt::format("{:.0f} KiB", static_cast<double>(bytes) / 1024.0);
  if (bytes < int64_t{1024} * 1024 * 1024) return fmt::format("{:.1f} MiB", static_cast<double>(bytes) / 1048576.0);
  return fmt::format("{:.1f} GiB", static_cast<double>(bytes) / 1073741824.0);
}

std::string without_trailing_slashes(std::string path) {
  while (path.size() > 1 && path.back() == '/') path.pop_back();
  return path;
}

}  // namespace

bool is_environment_error(int error) {
  switch (error) {
    case ENOSPC:
    case EDQUOT:
    case EROFS:
    case EACCES:
    case EPERM:
    case EIO:
    case EFBIG:
    case EMFILE:
    case ENFILE:
    case ESTALE:
      return true;
    default:
      return false;
  }
}

std::string io_remedy(int error) {
  switch (error) {
    case ENOSPC:
      return "free space";
    case EDQUOT:
      return "free space or raise your quota";
    case EROFS:
    case EACCES:
    case EPERM:
      return "make the folder writable";
    case EFBIG:
      return "use a file system that allows larger files";
    case EMFILE:
    case ENFILE:
      return "raise the open-file limit (ulimit -n)";
    default:
      return "check the storage device (dmesg, the file system's health)";
  }
}

int64_t available_bytes(const std::string& path) {
  std::string probe = without_trailing_slashes(path.empty() ? "." : path);
  while (true) {
    struct statvfs info {};
    if (::statvfs(probe.c_str(), &info) == 0)
      return static_cast<int64_t>(info.f_bavail) * static_cast<int64_t>(info.f_frsize);
    const auto slash = probe.find_last_of('/');
    if (errno != ENOENT || probe == "." || probe == "/") return -1;
    probe = slash == std::string::npos ? "." : slash == 0 ? "/" : probe.substr(0, slash);
  }
}

int likely_write_error(const std::string& path) {
  const int64_t available = available_bytes(path);
  return available >= 0 && available < 1024 * 1024 ? ENOSPC : 0;
}

IoError make_io_error(const std::string& operation, const std::string& path, int error) {
  std::string reason = fmt::format("cannot {} '{}': {}", operation, path, system_words(error));
  if (error == ENOSPC || error == EDQUOT) {
    const int64_t available = available_bytes(path);
    if (available >= 0) reason += fmt::format(" ({} available)", format_bytes(available));
  }
  const bool reading = operation.find("read") != std::string::npos;
  return IoError(reason,
                 reading ? "check the file's permissions and the storage device, then rerun"
                         : io_remedy(error) + " or write elsewhere, then rerun",
                 path, error);
}

void throw_file_error(const std::string& operation, const std::string& path, int error) {
  if (is_environment_error(error)) throw make_io_error(operation, path, error);
  throw DataError(fmt::format("cannot {} '{}': {}", operation, path, system_words(error)));
}

void throw_stream_write_error(const std::string& operation, const std::string& path) {
  int error = errno;
  if (!is_environment_error(error)) error = likely_write_error(path);
  throw make_io_error(operation, path, error);
}

std::string output_advice(int error, const std::string& setting, const std::string& rerun) {
  return fmt::format("{} or set {} elsewhere; {}", io_remedy(error), setting, rerun);
}

bool is_inside_folder(const std::string& path, const std::string& folder) {
  const std::string root = without_trailing_slashes(folder);
  if (root.empty() || path.compare(0, root.size(), root) != 0) return false;
  return path.size() == root.size() || path[root.size()] == '/' || root == "/";
}

}  // namespace musictag
