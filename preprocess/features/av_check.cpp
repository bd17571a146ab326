// AV_CHECK's error formatting: av_strerror plus the call, file:line and host.
#include "preprocess/features/av_check.h"

#include <unistd.h>

#include <array>
#include <sstream>

#include "cluster/errors.h"

extern "C" {
#include <libavutil/error.h>
}

namespace musictag::preprocess {

std::string av_error_string(int error) {
  std::array<char, AV_ERROR_MAX_STRING_SIZE> buffer{};
  if (av_strerror(error, buffer.data(), buffer.size()) < 0) return "unknown FFmpeg error " + std::to_string(error);
  return buffer.data();
}

void throw_av_error(int error, const char* expr, const std::string& context, const char* file, int line) {
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  std::ostringstream message;
  if (!context.empty()) message << context << ": ";
  message << "FFmpeg call `" << expr << "` failed (" << av_error_string(error) << ", code " << error << ") at " << file
          << ':' << line << " on host " << (host[0] ? host.data() : "?");
  throw DataError(message.str());
}

}  // namespace musictag::preprocess
