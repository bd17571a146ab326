// Made-up but FMA-like free text for the demo metadata: names, titles, bios with quotes and line breaks,
// locations with commas, licenses and timestamps.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "preprocess/demo/demo_random.h"

namespace musictag::preprocess::demo_text {

std::string artist_name(DemoRng& rng);
std::string album_title(DemoRng& rng);
// With `with_comma`, the title holds a comma ("Hello, Goodbye"); otherwise it may still hold quotes or UTF-8.
std::string track_title(DemoRng& rng, bool with_comma);
// HTML-ish paragraphs as on FMA. With `rich`, the text surely holds a "quoted" word and a CRLF line break.
std::string artist_bio(DemoRng& rng, const std::string& name, const std::string& location, bool rich);
std::string track_information(DemoRng& rng, bool rich);  // often empty unless `rich`
std::string album_information(DemoRng& rng);

struct Place {
  std::string name;  // "Brooklyn, NY"
  double latitude, longitude;
};
Place location(DemoRng& rng);
std::string members(DemoRng& rng);  // names separated by newlines, or empty
std::string website(const std::string& artist_name);
std::vector<std::string> tags(DemoRng& rng, size_t max_count);
std::string license(DemoRng& rng);
std::string album_type(DemoRng& rng);

// "YYYY-MM-DD HH:MM:SS" in UTC, as FMA's date columns.
std::string format_datetime(int64_t unix_seconds);

}  // namespace musictag::preprocess::demo_text
