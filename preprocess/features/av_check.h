// AV_CHECK: turns a failed FFmpeg call (negative return) into a musictag::DataError in the user's words: the context
// (what was being done to which file) and av_strerror's message; the call, file:line and host go to the debug log.
#pragma once

#include <string>

namespace musictag::preprocess {

// FFmpeg's own text for an AVERROR code (av_strerror), e.g. "Invalid data found when processing input".
std::string av_error_string(int error);

// Throws DataError "<context>: <av_strerror> (FFmpeg <function>)", e.g. "opening a.mp3: Invalid data found when
// processing input (FFmpeg avformat_open_input)"; logs the call, file:line and host with log::debug first.
[[noreturn]] void throw_av_error(int error, const char* expr, const std::string& context, const char* file, int line);

// Returns `result` unchanged when it is >= 0, so AV_CHECK can wrap calls whose result is used.
inline int check_av_result(int result, const char* expr, const std::string& context, const char* file, int line) {
  if (result < 0) throw_av_error(result, expr, context, file, line);
  return result;
}

}  // namespace musictag::preprocess

// Wraps an FFmpeg call returning an int (negative = AVERROR); evaluates to the call's result.
#define AV_CHECK(call) ::musictag::preprocess::check_av_result((call), #call, std::string(), __FILE__, __LINE__)

// Same, with a context prefix such as the file being read: AV_CHECK_CTX(avformat_open_input(...), path).
#define AV_CHECK_CTX(call, context) \
  ::musictag::preprocess::check_av_result((call), #call, (context), __FILE__, __LINE__)
