// Word lists and templates for the demo metadata text (ASCII plus a few UTF-8 names, as FMA has).
#include "preprocess/demo/demo_metadata_text.h"

#include <algorithm>
#include <cctype>
#include <ctime>

namespace musictag::preprocess::demo_text {
namespace {

const std::vector<std::string> kAdjectives = {"Velvet", "Hollow", "Electric", "Quiet",  "Golden",   "Broken",  "Paper",
                                              "Neon",   "Silver", "Wild",     "Lonely", "Northern", "Crystal", "Dusty"};
const std::vector<std::string> kNouns = {"Owls",       "Rivers",  "Machines", "Lanterns", "Ghosts",  "Tides",   "Foxes",
                                         "Satellites", "Gardens", "Wolves",   "Mirrors",  "Engines", "Sparrows"};
const std::vector<std::string> kFirst = {"Kara", "Jonas", "Mira", "Theo", "Ana",  "Felix", "Iris",
                                         "Omar", "Lena",  "Ruth", "Sami", "Noor", "Björn", "Zoë"};
const std::vector<std::string> kLast = {"Moss",     "Varga", "Okafor",   "Lindqvist", "Reyes",   "Hart",
                                        "Nakamura", "Doyle", "Ferreira", "Kowalski",  "Bellamy", "Müller"};
const std::vector<std::string> kTitleWords = {"Night",  "Drive",   "Summer", "Signal", "Home",
                                              "Static", "Morning", "Fire",   "Rain",   "Echo",
                                              "Window", "Dance",   "Orbit",  "Blue",   "Dream"};

std::string join_words(DemoRng& rng, const std::vector<std::string>& words, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out += (i ? " " : "") + rng.pick(words);
  return out;
}

// Draws in a fixed order. Every draw below is its own statement: the operands of `a + b` (and the arguments of
// a call) are evaluated in an unspecified order, which would make the text depend on the compiler.
std::string pair(DemoRng& rng, const std::vector<std::string>& first, const std::string& separator,
                 const std::vector<std::string>& second) {
  const std::string a = rng.pick(first);
  const std::string b = rng.pick(second);
  return a + separator + b;
}

}  // namespace

std::string artist_name(DemoRng& rng) {
  switch (rng.index(4)) {
    case 0:
      return "The " + pair(rng, kAdjectives, " ", kNouns);
    case 1:
      return pair(rng, kFirst, " ", kLast);
    case 2: {
      const std::string person = pair(rng, kFirst, " ", kLast);
      return person + " & The " + rng.pick(kNouns);
    }
    default:
      return "DJ " + rng.pick(kAdjectives);
  }
}

std::string album_title(DemoRng& rng) {
  switch (rng.index(4)) {
    case 0:
      return pair(rng, kAdjectives, " ", kNouns);
    case 1:
      return join_words(rng, kTitleWords, 2) + " EP";
    case 2:
      return "Live at the " + rng.pick(kAdjectives) + " Room";
    default: {
      const std::string word = rng.pick(kTitleWords);
      return word + " Sessions, Vol. " + std::to_string(rng.integer(1, 4));
    }
  }
}

std::string track_title(DemoRng& rng, bool with_comma) {
  if (with_comma) return pair(rng, kTitleWords, ", ", kTitleWords);
  switch (rng.index(8)) {
    case 0:
      return pair(rng, kTitleWords, ", ", kTitleWords);
    case 1:
      return "The \"" + rng.pick(kTitleWords) + "\" Song";
    case 2:
      return "Café " + rng.pick(kTitleWords);
    case 3:
      return "Untitled #" + std::to_string(rng.integer(1, 20));
    case 4:
      return pair(rng, kTitleWords, " (", kFirst) + "'s Remix)";
    default:
      return join_words(rng, kTitleWords, rng.integer(1, 3));
  }
}

std::string artist_bio(DemoRng& rng, const std::string& name, const std::string& location, bool rich) {
  if (!rich && rng.chance(0.3)) return "";
  std::string bio = "<p>" + name + " is a " + rng.pick(kAdjectives) + " project from " + location + ".</p>";
  if (rich || rng.chance(0.5)) {
    const std::string style = pair(rng, kAdjectives, " ", kTitleWords);
    bio += "\r\n<p>Described by fans as \"" + style + " music\", recorded at home.</p>";
  }
  return bio;
}

std::string track_information(DemoRng& rng, bool rich) {
  if (!rich && !rng.chance(0.15)) return "";
  const std::string year = std::to_string(rng.integer(2001, 2016));
  return "<p>Recorded " + year + ", \"first take\".\nMixed by " + pair(rng, kFirst, " ", kLast) + ".</p>";
}

std::string album_information(DemoRng& rng) {
  if (rng.chance(0.5)) return "";
  const std::string songs = std::to_string(rng.integer(3, 14));
  return "<p>" + songs + " songs about " + pair(rng, kTitleWords, " and ", kTitleWords) + ".</p>";
}

Place location(DemoRng& rng) {
  static const std::vector<Place> kPlaces = {
      {"Brooklyn, NY", 40.6781784, -73.9441579},  {"Austin, TX", 30.267153, -97.7430608},
      {"Berlin, Germany", 52.5200066, 13.404954}, {"Montréal, QC", 45.5016889, -73.567256},
      {"Portland, OR", 45.5230622, -122.6764816}, {"London, UK", 51.5073509, -0.1277583}};
  return rng.pick(kPlaces);
}

std::string members(DemoRng& rng) {
  if (rng.chance(0.6)) return "";
  std::string out;
  for (int i = rng.integer(2, 4); i > 0; --i) out += pair(rng, kFirst, " ", kLast) + (i > 1 ? "\n" : "");
  return out;
}

std::string website(const std::string& artist_name) {
  std::string slug;
  for (unsigned char c : artist_name) {
    if (std::isalnum(c)) slug.push_back(static_cast<char>(std::tolower(c)));
  }
  return "http://www." + slug + ".example.com";
}

std::vector<std::string> tags(DemoRng& rng, size_t max_count) {
  static const std::vector<std::string> kTags = {"lo-fi",    "live",  "instrumental",    "diy",
                                                 "brooklyn", "remix", "field recording", "free"};
  std::vector<std::string> out;
  for (size_t n = rng.index(max_count + 1); out.size() < n;) {
    const std::string& tag = rng.pick(kTags);
    if (std::find(out.begin(), out.end(), tag) == out.end()) out.push_back(tag);
  }
  return out;
}

std::string license(DemoRng& rng) {
  static const std::vector<std::string> kLicenses = {"Attribution-NonCommercial-ShareAlike 3.0 International",
                                                     "Attribution-Noncommercial-No Derivative Works 3.0 United States",
                                                     "Creative Commons Attribution-NonCommercial-NoDerivatives 4.0",
                                                     "Attribution", "Public Domain Mark 1.0"};
  return kLicenses[rng.weighted({0.35, 0.3, 0.2, 0.1, 0.05})];
}

std::string album_type(DemoRng& rng) {
  static const std::vector<std::string> kTypes = {"Album", "Single Tracks", "Live Performance", "Radio Program"};
  return kTypes[rng.weighted({0.6, 0.25, 0.1, 0.05})];
}

std::string format_datetime(int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[32];
  std::strftime(buffer, sizeof(buffer), "%Y-%m-%d %H:%M:%S", &tm);
  return buffer;
}

}  // namespace musictag::preprocess::demo_text
