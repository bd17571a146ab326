// Number and text formatting shared by the report writers (fixed decimals, round-trip doubles, escaping).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace musictag::eval {

// `value` with `decimals` digits after the point ("0.9123"); "n/a" for NaN or nullopt.
std::string format_fixed(double value, int decimals = 4);
std::string format_fixed(const std::optional<double>& value, int decimals = 4);

// The shortest decimal text that parses back to exactly `value` ("0.1", "0.91234567890123"); empty for NaN.
std::string format_round_trip(double value);

// Text safe inside an XML element or attribute value (& < > " ' escaped).
std::string escape_xml(std::string_view text);

// Text safe inside a Markdown table cell (| and \ escaped, line breaks as spaces).
std::string escape_markdown_cell(std::string_view text);

}  // namespace musictag::eval
