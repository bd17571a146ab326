// AV_CHECK's error formatting: the context and av_strerror for people; call, file:line and host at debug level.
#include "preprocess/features/av_check.h"

#include <unistd.h>

#include <array>
#include <sstream>

#include "cluster/errors.h"
#include "cluster/log.h"

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
  // The person reads what failed and FFmpeg's own words; the call and source location are for developers (debug).
  std::array<char, 256> host{};
  if (gethostname(host.data(), host.size() - 1) != 0) host[0] = '\0';
  log::debug("FFmpeg call `{}` failed ({}, code {}) at {}:{} on host {}", expr, av_error_string(error), error, file,
             line, host[0] ? host.data() : "?");
  const std::string call(expr);
  const std::string function = call.substr(0, call.find('('));
  std::ostringstream message;
  if (!context.empty()) message << context << ": ";
  message << av_error_string(error) << " (FFmpeg " << function << ")";
  throw DataError(message.str());
}

}  // namespace musictag::preprocess
