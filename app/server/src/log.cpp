#include "cxr/server/log.h"

#include <chrono>
#include <ctime>

namespace cxr::server {
namespace {

const char* level_name(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarn: return "warn";
    case LogLevel::kError: return "error";
  }
  return "info";
}

// ISO 8601 UTC with milliseconds, e.g. 2026-12-03T08:00:00.123Z.
std::string timestamp() {
  auto now = std::chrono::system_clock::now();
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[40];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  char out[48];
  std::snprintf(out, sizeof out, "%s.%03dZ", buf, static_cast<int>(ms % 1000));
  return out;
}

}  // namespace

bool parse_log_level(const std::string& text, LogLevel& level) {
  for (auto l : {LogLevel::kDebug, LogLevel::kInfo, LogLevel::kWarn, LogLevel::kError}) {
    if (text == level_name(l)) {
      level = l;
      return true;
    }
  }
  return false;
}

Logger::Logger(LogLevel level, const std::string& path) : level_(level), out_(stderr), owned_(false) {
  if (path.empty()) return;
  if (std::FILE* f = std::fopen(path.c_str(), "a")) {
    out_ = f;
    owned_ = true;
  } else {
    log(LogLevel::kWarn, "log_file_unavailable", "cannot open log file " + path + "; logging to stderr");
  }
}

Logger::~Logger() {
  if (owned_) std::fclose(out_);
}

void Logger::log(LogLevel level, const std::string& event, const std::string& message, const nlohmann::json& fields) {
  if (!enabled(level)) return;
  nlohmann::json line = {{"ts", timestamp()}, {"level", level_name(level)}, {"event", event}, {"msg", message}};
  if (fields.is_object())
    for (auto it = fields.begin(); it != fields.end(); ++it) line[it.key()] = it.value();
  std::string text = line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  std::lock_guard<std::mutex> lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace cxr::server
