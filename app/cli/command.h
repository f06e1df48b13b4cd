// The cxr command-line tool: each subcommand lives in its own cmd_<name>.cpp and registers itself
// with CXR_CLI_COMMAND, so adding a subcommand never touches main.cpp.
//
// Exit codes (documented in README): 0 every input succeeded, 1 some inputs failed (each reported),
// 2 usage error (bad options, nothing to do). A subcommand returns one of these.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>

namespace cxr::cli {

enum ExitCode : int { kExitOk = 0, kExitSomeFailed = 1, kExitUsage = 2 };

// Called once with the subcommand's CLI11 app: add options there, return the function that runs it.
using CommandSetup = std::function<std::function<int()>(CLI::App& sub)>;

struct CommandRegistration {
  CommandRegistration(const char* name, const char* description, CommandSetup setup);
};

}  // namespace cxr::cli

#define CXR_CLI_CONCAT_INNER(a, b) a##b
#define CXR_CLI_CONCAT(a, b) CXR_CLI_CONCAT_INNER(a, b)
// CXR_CLI_COMMAND("info", "Print metadata of DICOM files", [](CLI::App& sub) { ...; return [=]{...}; });
#define CXR_CLI_COMMAND(name, description, setup) \
  static const ::cxr::cli::CommandRegistration CXR_CLI_CONCAT(cxr_cli_registration_, __LINE__)(name, description, setup)
