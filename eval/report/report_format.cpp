// Formatting helpers of the report writers; fmt's "{}" gives the shortest round-trip form of a double.
#include "eval/report/report_format.h"

#include <fmt/format.h>

#include <cmath>

namespace musictag::eval {

std::string format_fixed(double value, int decimals) {
  if (std::isnan(value)) return "n/a";
  return fmt::format("{:.{}f}", value, decimals);
}

std::string format_fixed(const std::optional<double>& value, int decimals) {
  return value.has_value() ? format_fixed(*value, decimals) : "n/a";
}

std::string format_round_trip(double value) {
  if (std::isnan(value)) return "";
  return fmt::format("{}", value);
}

std::string escape_xml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        // XML 1.0 forbids other control characters even escaped; a tag name should never hold one.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t' || c == '\n' || c == '\r') out.push_back(c);
    }
  }
  return out;
}

std::string escape_markdown_cell(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (const char c : text) {
    if (c == '|' || c == '\\') out.push_back('\\');
    out.push_back(c == '\n' || c == '\r' ? ' ' : c);
  }
  return out;
}

}  // namespace musictag::eval
