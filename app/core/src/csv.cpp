// RFC 4180 CSV (see cxr/core/csv.h).
#include "cxr/core/csv.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <sstream>

namespace cxr::core {
namespace {

std::string trim_lower(std::string s) {
  const auto b = s.find_first_not_of(" \t");
  const auto e = s.find_last_not_of(" \t");
  s = b == std::string::npos ? std::string() : s.substr(b, e - b + 1);
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

}  // namespace

int CsvTable::column(const std::string& name) const {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return static_cast<int>(i);
  }
  return -1;
}

Result<CsvTable> parse_csv(const std::string& raw, const std::string& source) {
  std::size_t i = raw.rfind("\xEF\xBB\xBF", 0) == 0 ? 3 : 0;
  std::vector<std::vector<std::string>> records;
  std::vector<int> lines;
  std::vector<std::string> record;
  std::string field;
  bool in_quotes = false, field_started = false, at_record_start = true;
  int line = 1, record_line = 1;
  auto end_record = [&]() {
    record.push_back(field);
    field.clear();
    const bool blank = record.size() == 1 && record[0].empty();
    if (!blank) records.push_back(record), lines.push_back(record_line);
    record.clear();
    at_record_start = true;
  };
  for (; i < raw.size(); ++i) {
    const char c = raw[i];
    if (at_record_start && !in_quotes && c == '#' && records.empty()) {  // leading comment line
      while (i < raw.size() && raw[i] != '\n') ++i;
      ++line;
      continue;
    }
    if (at_record_start) record_line = line, at_record_start = false;
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < raw.size() && raw[i + 1] == '"') field.push_back('"'), ++i;
        else in_quotes = false;
      } else {
        if (c == '\n') ++line;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && !field_started) {
      in_quotes = true;
      field_started = true;
    } else if (c == ',') {
      record.push_back(field);
      field.clear();
      field_started = false;
    } else if (c == '\r') {
      // CRLF or a lone CR ends the record
      if (i + 1 < raw.size() && raw[i + 1] == '\n') ++i;
      ++line;
      end_record();
      field_started = false;
    } else if (c == '\n') {
      ++line;
      end_record();
      field_started = false;
    } else {
      field.push_back(c);
      field_started = true;
    }
  }
  if (in_quotes) {
    return make_error(ErrorCode::kCorruptData,
                      source + ": line " + std::to_string(record_line) + ": unterminated quoted field");
  }
  if (!at_record_start || !field.empty() || !record.empty()) end_record();
  if (records.empty()) return make_error(ErrorCode::kCorruptData, source + ": empty CSV (no header line)");
  CsvTable t;
  for (const auto& h : records[0]) t.header.push_back(trim_lower(h));
  for (std::size_t r = 1; r < records.size(); ++r) {
    records[r].resize(t.header.size());
    t.rows.push_back(std::move(records[r]));
    t.line_numbers.push_back(lines[r]);
  }
  return t;
}

Result<CsvTable> read_csv(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(ErrorCode::kNotFound, path + ": cannot open CSV file");
  std::ostringstream ss;
  ss << in.rdbuf();
  return parse_csv(ss.str(), path);
}

std::string csv_field(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out += "\"\"";
    else out.push_back(c);
  }
  return out + "\"";
}

}  // namespace cxr::core
