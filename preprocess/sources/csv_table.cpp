// libcsv-based CSV reading: strict RFC 4180, no whitespace trimming, streamed in 64 KiB blocks.
#include "preprocess/sources/csv_table.h"

#include <csv.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <memory>

#include "cluster/errors.h"

namespace musictag::preprocess {
namespace {

struct ParserDeleter {
  void operator()(csv_parser* parser) const {
    csv_free(parser);
    delete parser;
  }
};
using ParserPtr = std::unique_ptr<csv_parser, ParserDeleter>;

struct RowBuilder {
  CsvRow row;
  const std::function<void(CsvRow&&)>* on_row = nullptr;
};

void on_field(void* data, size_t length, void* user) {
  auto* builder = static_cast<RowBuilder*>(user);
  if (length == 0) {
    builder->row.emplace_back();  // libcsv may pass a null pointer for an empty field
  } else {
    builder->row.emplace_back(static_cast<const char*>(data), length);
  }
}

void on_record_end(int /*terminator*/, void* user) {
  auto* builder = static_cast<RowBuilder*>(user);
  (*builder->on_row)(std::move(builder->row));
  builder->row = CsvRow();
}

int no_space(unsigned char) { return 0; }  // keep leading/trailing spaces, as pandas does

ParserPtr make_parser(char delimiter) {
  ParserPtr parser(new csv_parser);
  if (csv_init(parser.get(), CSV_STRICT | CSV_STRICT_FINI) != 0) {
    delete parser.release();  // csv_init failed before allocating anything csv_free would release
    throw DataError("libcsv: csv_init failed (out of memory)");
  }
  csv_set_space_func(parser.get(), no_space);
  csv_set_delim(parser.get(), static_cast<unsigned char>(delimiter));
  return parser;
}

[[noreturn]] void throw_parse_error(csv_parser* parser, const std::string& source, size_t offset) {
  throw DataError("CSV " + source + ": " + csv_strerror(csv_error(parser)) + " near byte " + std::to_string(offset));
}

// Feeds one block; throws with the absolute offset of the first unparsed byte.
void parse_block(csv_parser* parser, const char* data, size_t size, size_t block_offset, RowBuilder& builder,
                 const std::string& source) {
  const size_t parsed = csv_parse(parser, data, size, on_field, on_record_end, &builder);
  if (parsed != size) throw_parse_error(parser, source, block_offset + parsed);
}

void finish(csv_parser* parser, RowBuilder& builder, const std::string& source, size_t total) {
  if (csv_fini(parser, on_field, on_record_end, &builder) != 0) throw_parse_error(parser, source, total);
}

}  // namespace

void for_each_csv_row_in_text(std::string_view text, const std::string& source,
                              const std::function<void(CsvRow&&)>& on_row) {
  for_each_csv_row_in_text(text, source, ',', on_row);
}

void for_each_csv_row_in_text(std::string_view text, const std::string& source, char delimiter,
                              const std::function<void(CsvRow&&)>& on_row) {
  ParserPtr parser = make_parser(delimiter);
  RowBuilder builder;
  builder.on_row = &on_row;
  parse_block(parser.get(), text.data(), text.size(), 0, builder, source);
  finish(parser.get(), builder, source, text.size());
}

void for_each_csv_row(const std::string& path, const std::function<void(CsvRow&&)>& on_row) {
  for_each_csv_row(path, ',', on_row);
}

void for_each_csv_row(const std::string& path, char delimiter, const std::function<void(CsvRow&&)>& on_row) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw DataError("CSV " + path + ": cannot open (" + std::strerror(errno) + ")");
  ParserPtr parser = make_parser(delimiter);
  RowBuilder builder;
  builder.on_row = &on_row;
  std::vector<char> block(1 << 16);
  size_t offset = 0;
  while (in) {
    in.read(block.data(), static_cast<std::streamsize>(block.size()));
    const auto got = static_cast<size_t>(in.gcount());
    if (got == 0) break;
    parse_block(parser.get(), block.data(), got, offset, builder, path);
    offset += got;
  }
  if (in.bad()) throw DataError("CSV " + path + ": read error after byte " + std::to_string(offset));
  finish(parser.get(), builder, path, offset);
}

std::vector<CsvRow> read_csv_file(const std::string& path) {
  std::vector<CsvRow> rows;
  for_each_csv_row(path, [&rows](CsvRow&& row) { rows.push_back(std::move(row)); });
  return rows;
}

}  // namespace musictag::preprocess
