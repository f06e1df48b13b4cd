// cxr/core/csv.h — small RFC 4180 CSV reading/writing for label files, notes files and outputs.
// Quoted fields may contain commas, quotes ("") and line breaks; a UTF-8 BOM and CRLF are accepted.
// Lines starting with '#' before the header are comments (the disclaimer line of `cxr analyze`).
#pragma once

#include "cxr/result.h"

#include <map>
#include <string>
#include <vector>

namespace cxr::core {

struct CsvTable {
  std::vector<std::string> header;             // column names, trimmed, lower-cased
  std::vector<std::vector<std::string>> rows;  // each padded/truncated to header.size()
  std::vector<int> line_numbers;               // 1-based source line of each row (for messages)
  int column(const std::string& name) const;   // index or -1
};

Result<CsvTable> parse_csv(const std::string& text, const std::string& source);
Result<CsvTable> read_csv(const std::string& path);

// One CSV field, quoted when it contains a comma, quote, CR or LF.
std::string csv_field(const std::string& value);

}  // namespace cxr::core
