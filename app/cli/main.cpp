// cxr — batch command-line face of CXR Assist. Subcommands register themselves (see command.h).
#include "command.h"

#include <cstdio>
#include <iostream>
#include <vector>

namespace cxr::cli {
namespace {

struct Entry {
  std::string name;
  std::string description;
  CommandSetup setup;
};

std::vector<Entry>& registry() {
  static std::vector<Entry> entries;  // filled during static initialisation, read-only afterwards
  return entries;
}

}  // namespace

CommandRegistration::CommandRegistration(const char* name, const char* description, CommandSetup setup) {
  registry().push_back(Entry{name, description, std::move(setup)});
}

}  // namespace cxr::cli

int main(int argc, char** argv) {
  using namespace cxr::cli;
  CLI::App app{"CXR Assist " CXR_VERSION
               " — chest X-ray decision support. Suggestions are for a physician to review; not a diagnosis."};
  app.require_subcommand(1);
  app.set_version_flag("--version", std::string("cxr ") + CXR_VERSION);

  std::function<int()> selected;
  std::vector<std::pair<CLI::App*, std::function<int()>>> runners;
  for (auto& entry : registry()) {
    CLI::App* sub = app.add_subcommand(entry.name, entry.description);
    runners.emplace_back(sub, entry.setup(*sub));
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    int rc = app.exit(e);
    return rc == 0 ? kExitOk : kExitUsage;
  }
  for (auto& [sub, run] : runners) {
    if (sub->parsed()) {
      try {
        return run();
      } catch (const std::exception& e) {
        std::cerr << "cxr " << sub->get_name() << ": " << e.what() << "\n";
        return kExitSomeFailed;
      }
    }
  }
  return kExitUsage;
}
