// studio_vm_tests <TestClass> [QTest options]
#include "studio_tests.h"

#include <QCoreApplication>
#include <QTest>

#include <cstdio>
#include <functional>
#include <map>
#include <memory>

int main(int argc, char** argv) {
  QCoreApplication app(argc, argv);
  const std::map<std::string, std::function<std::unique_ptr<QObject>()>> tests{
      {"WindowLevelTest", [] { return std::make_unique<WindowLevelTest>(); }},
      {"StudyListTest", [] { return std::make_unique<StudyListTest>(); }},
      {"FindingsModelTest", [] { return std::make_unique<FindingsModelTest>(); }},
      {"SettingsTest", [] { return std::make_unique<SettingsTest>(); }},
      {"TranslationsTest", [] { return std::make_unique<TranslationsTest>(); }},
      {"TeachReportTest", [] { return std::make_unique<TeachReportTest>(); }},
      {"AnalysisControllerTest", [] { return std::make_unique<AnalysisControllerTest>(); }},
#ifdef CXR_STUDIO_PACS_TEST
      {"PacsBrowserTest", [] { return std::make_unique<PacsBrowserTest>(); }},
#endif
  };
  if (argc < 2 || !tests.count(argv[1])) {
    std::fprintf(stderr, "usage: studio_vm_tests <TestClass> [QTest options]; classes:");
    for (const auto& [name, _] : tests) std::fprintf(stderr, " %s", name.c_str());
    std::fprintf(stderr, "\n");
    return 2;
  }
  auto test = tests.at(argv[1])();
  argv[1] = argv[0];  // QTest sees the remaining options only
  return QTest::qExec(test.get(), argc - 1, argv + 1);
}
