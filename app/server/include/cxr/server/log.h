// cxr/server/log.h — structured logs: one JSON object per line ({"ts","level","event","msg",...}).
// Patient names/IDs never go into info or higher; UIDs are not patient data and may be logged.
// Thread-safety: every method may be called from any thread.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <mutex>
#include <string>

namespace cxr::server {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Parses "debug" | "info" | "warn" | "error"; returns false for anything else.
bool parse_log_level(const std::string& text, LogLevel& level);

class Logger {
 public:
  // path "" = stderr. The file is opened for append; failure falls back to stderr with a warning.
  explicit Logger(LogLevel level = LogLevel::kInfo, const std::string& path = "");
  ~Logger();
  Logger(const Logger&) = delete;
  Logger& operator=(const Logger&) = delete;

  void log(LogLevel level, const std::string& event, const std::string& message,
           const nlohmann::json& fields = nlohmann::json::object());
  void debug(const std::string& e, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) { log(LogLevel::kDebug, e, m, f); }
  void info(const std::string& e, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) { log(LogLevel::kInfo, e, m, f); }
  void warn(const std::string& e, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) { log(LogLevel::kWarn, e, m, f); }
  void error(const std::string& e, const std::string& m, const nlohmann::json& f = nlohmann::json::object()) { log(LogLevel::kError, e, m, f); }
  bool enabled(LogLevel level) const { return level >= level_; }

 private:
  LogLevel level_;
  std::FILE* out_;
  bool owned_;
  std::mutex mutex_;
};

}  // namespace cxr::server
