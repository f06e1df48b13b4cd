// The `cxr analyze/teach/calibrate/eval` commands as a user runs them: formats, exit codes 0/1/2,
// the disclaimer in every output, resuming, notes from text/file/CSV, SR and heatmap outputs.
#include "test_util.h"
#include "cxr/dicom/metadata.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <sstream>

using namespace cxr;

namespace {

const std::string kNormal = test::shared("cxr/kermany-train/images/normal/IM-0115-0001.jpeg");
const std::string kPneumonia = test::shared("cxr/kermany-train/images/pneumonia/person1000_bacteria_2931.jpeg");
const std::string kDicom = test::shared("dicom/xray/rsna_cr_jpeg_baseline.dcm");

std::string base_command(const std::string& sub) {
  return test::quote(test::cxr_binary()) + " " + sub + " --model " + test::quote(test::tiny_model()) +
         " --prompts " + test::quote(test::tiny_prompts()) + " --threads 2";
}

int count_lines(const std::string& text, const std::string& needle) {
  std::istringstream in(text);
  int n = 0;
  for (std::string line; std::getline(in, line);) n += line.find(needle) != std::string::npos;
  return n;
}

}  // namespace

TEST(AnalyzeCli, CsvReportsFailuresResumesAndCarriesTheDisclaimer) {
  test::TempDir dir;
  test::write_truncated(kNormal, dir / "broken.jpeg", 200);
  const std::string out = dir / "out.csv";
  const std::string cmd = base_command("analyze") + " --format csv -o " + out + " " + kNormal + " " +
                          (dir / "broken.jpeg") + " " + kDicom;
  auto r = test::run(cmd);
  EXPECT_EQ(r.exit_code, 1) << r.output;
  EXPECT_NE(r.output.find("broken.jpeg"), std::string::npos) << r.output;
  const std::string csv = test::read_text(out);
  EXPECT_EQ(csv.rfind("# Decision support only", 0), 0u) << csv;
  EXPECT_NE(csv.find("path,study_instance_uid,sop_instance_uid,finding,probability,decision"), std::string::npos);
  EXPECT_EQ(count_lines(csv, ",pneumonia,"), 2);
  EXPECT_EQ(count_lines(csv, ",effusion,"), 2);
  EXPECT_EQ(count_lines(csv, "broken.jpeg"), 0);
  // Re-running with the same -o skips the finished instances (no duplicate rows) and retries the failed one.
  auto again = test::run(cmd);
  EXPECT_EQ(again.exit_code, 1);
  EXPECT_NE(again.output.find("resuming: 2 instance(s)"), std::string::npos) << again.output;
  EXPECT_EQ(count_lines(test::read_text(out), ",pneumonia,"), 2);
  // All good inputs: exit 0.
  EXPECT_EQ(test::run(base_command("analyze") + " --format csv " + kNormal).exit_code, 0);
}

TEST(AnalyzeCli, JsonWithNotesFromFileAndCsvAndStudies) {
  test::TempDir dir;
  std::ofstream(dir / "notes.txt") << "Productive cough. Right lower lobe pneumonia.";
  std::ofstream(dir / "notes.csv") << "path,notes\nIM-0115-0001.jpeg,\"No pneumonia, no effusion.\"\n";
  const std::string out = dir / "out.json";
  auto r = test::run(base_command("analyze") + " --format json -o " + out + " --notes @" + (dir / "notes.txt") +
                     " --notes-csv " + (dir / "notes.csv") + " " + kNormal + " " + kPneumonia + " " + kDicom);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const auto doc = nlohmann::json::parse(test::read_text(out));
  EXPECT_NE(doc.at("disclaimer").get<std::string>().find("not a diagnosis"), std::string::npos);
  EXPECT_EQ(doc.at("provenance").at("model_sha256").get<std::string>().size(), 64u);
  ASSERT_EQ(doc.at("instances").size(), 3u);
  ASSERT_EQ(doc.at("studies").size(), 3u);
  // IM-0115 got the CSV notes (denial), the others the file notes (statement).
  for (const auto& inst : doc.at("instances")) {
    for (const auto& f : inst.at("findings")) {
      if (f.at("id") != "pneumonia") continue;
      const double notes = f.at("notes_logit").get<double>();
      if (inst.at("path").get<std::string>().find("IM-0115") != std::string::npos) EXPECT_LT(notes, 0);
      else EXPECT_GT(notes, 0);
      EXPECT_FALSE(f.at("evidence").empty());
    }
  }
  EXPECT_EQ(doc.at("instances")[2].at("sop_instance_uid").get<std::string>().empty(), false);
  EXPECT_EQ(test::read_text(out).find("patient_name"), std::string::npos);  // no patient identifiers
}

TEST(AnalyzeCli, SrFolderHeatmapsAndTextOutput) {
  test::TempDir dir;
  auto r = test::run(base_command("analyze") + " --format sr -o " + (dir / "sr") + " --heatmaps " +
                     (dir / "heat") + " --heatmap-sc --findings pneumonia " + kDicom + " " + kNormal);
  EXPECT_EQ(r.exit_code, 1) << r.output;  // the JPEG has no UIDs: its SR fails (reported), the DICOM's is written
  EXPECT_NE(r.output.find("needs DICOM source images"), std::string::npos) << r.output;
  int srs = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir / "sr")) {
    ++srs;
    const auto v = test::run("dciodvfy " + test::quote(e.path().string()));
    EXPECT_EQ(v.output.find("\nError"), std::string::npos) << v.output;
  }
  EXPECT_EQ(srs, 1);
  EXPECT_TRUE(std::filesystem::exists(dir / "heat/IM-0115-0001_pneumonia.png"));
  EXPECT_TRUE(std::filesystem::exists(dir / "heat/rsna_cr_jpeg_baseline_pneumonia.png"));
  EXPECT_TRUE(std::filesystem::exists(dir / "heat/rsna_cr_jpeg_baseline_pneumonia.sc.dcm"));
  auto text = test::run(base_command("analyze") + " " + kNormal);
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.output.find("Decision support only"), std::string::npos);
  EXPECT_NE(text.output.find("Pneumonia"), std::string::npos);
}

// --anonymize: the findings leave, identifiers do not (paths, UIDs, patient fields, quoted notes),
// and instances of one study still group under one pseudonymous Study Instance UID.
TEST(AnalyzeCli, AnonymizedExportKeepsFindingsAndDropsIdentifiers) {
  test::TempDir dir;
  const std::string out = dir / "anon.json";
  const std::string notes = "Mr John Smith, MRN 4471, has right lower lobe pneumonia.";
  auto r = test::run(base_command("analyze") + " --anonymize --format json -o " + out + " --notes " +
                     test::quote(notes) + " " + kNormal + " " + kDicom);
  ASSERT_EQ(r.exit_code, 0) << r.output;
  const std::string text = test::read_text(out);
  auto meta = dicom::read_metadata(kDicom);
  ASSERT_TRUE(meta.ok());
  for (const std::string& identifying :
       {std::string("IM-0115-0001"), std::string("rsna_cr_jpeg_baseline"), std::string("John Smith"), std::string("4471"),
        meta->study_instance_uid, meta->sop_instance_uid, meta->patient_id, meta->patient_name})
    if (!identifying.empty()) EXPECT_EQ(text.find(identifying), std::string::npos) << identifying << " leaked";
  const auto doc = nlohmann::json::parse(text);
  ASSERT_EQ(doc["instances"].size(), 2u);
  int removed = 0;
  for (const auto& inst : doc["instances"]) {
    EXPECT_EQ(inst["path"].get<std::string>().rfind("anon-", 0), 0u) << inst["path"];
    ASSERT_FALSE(inst["findings"].empty());
    for (const auto& f : inst["findings"])
      for (const auto& e : f.value("evidence", nlohmann::json::array())) removed += e.value("sentence", "") == "[removed]";
  }
  EXPECT_GT(removed, 0) << "the pneumonia sentence should be quoted as evidence, removed";
  const std::string study = doc["instances"][1]["study_instance_uid"];
  EXPECT_EQ(study.rfind("2.25.", 0), 0u) << study;
  EXPECT_LE(study.size(), 64u);
  ASSERT_EQ(doc["studies"].size(), 2u);
  // Not resumable with a fresh key, and no DICOM/pixel outputs: usage errors.
  EXPECT_EQ(test::run(base_command("analyze") + " --anonymize --format json -o " + out + " " + kNormal).exit_code, 2);
  EXPECT_EQ(test::run(base_command("analyze") + " --anonymize --format sr -o " + (dir / "sr") + " " + kDicom).exit_code, 2);
}

TEST(AnalyzeCli, UsageErrorsExitTwo) {
  EXPECT_EQ(test::run(base_command("analyze") + " --format xml " + kNormal).exit_code, 2);
  EXPECT_EQ(test::run(base_command("analyze") + " --findings nonsense " + kNormal).exit_code, 2);
  EXPECT_EQ(test::run(test::quote(test::cxr_binary()) + " analyze").exit_code, 2);
  EXPECT_EQ(test::run(base_command("analyze") + " --notes @/nonexistent/notes.txt " + kNormal).exit_code, 2);
}

TEST(TeachCalibrateEvalCli, BuildALibraryThatAnalyzeUses) {
  test::TempDir dir;
  const std::string lib = dir / "site.json";
  auto t = test::run(base_command("teach") + " pneumonia --library " + lib + " --user tester --positive " +
                     kPneumonia + " " + kDicom + " --negative " + kNormal);
  ASSERT_EQ(t.exit_code, 0) << t.output;
  EXPECT_NE(t.output.find("leave-one-out AUC"), std::string::npos);
  const auto doc = nlohmann::json::parse(test::read_text(lib));
  EXPECT_EQ(doc.at("findings").at("pneumonia").at("adapter").at("created_by"), "tester");
  std::ofstream(dir / "labels.csv") << "path,finding,label,patient\n"
                                    << kPneumonia << ",pneumonia,1,A\n"
                                    << kDicom << ",pneumonia,1,B\n"
                                    << kNormal << ",pneumonia,0,C\n"
                                    << test::shared("cxr/kermany-train/images/normal/IM-0117-0001.jpeg")
                                    << ",pneumonia,0,D\n";
  auto c = test::run(base_command("calibrate") + " --labels " + (dir / "labels.csv") + " --library " + lib);
  ASSERT_EQ(c.exit_code, 0) << c.output;
  EXPECT_NE(c.output.find("ECE_pre"), std::string::npos);
  const auto cal = nlohmann::json::parse(test::read_text(lib)).at("findings").at("pneumonia");
  EXPECT_TRUE(cal.contains("adapter"));
  EXPECT_TRUE(cal.at("calibration").at("with_adapter").get<bool>());
  auto a = test::run(base_command("analyze") + " --format json --library " + lib + " " + kNormal);
  ASSERT_EQ(a.exit_code, 0) << a.output;
  const auto res = nlohmann::json::parse(a.output.substr(a.output.find('{')));
  const auto& f = res.at("instances")[0].at("findings")[0];
  EXPECT_TRUE(f.at("site_adapted").get<bool>());
  EXPECT_TRUE(f.at("calibrated").get<bool>());
  auto e = test::run(base_command("eval") + " --labels " + (dir / "labels.csv") + " --finding pneumonia --rounds 200");
  ASSERT_EQ(e.exit_code, 0) << e.output;
  EXPECT_NE(e.output.find("AUC"), std::string::npos);
  EXPECT_NE(e.output.find("by patient"), std::string::npos);
  EXPECT_EQ(test::run(base_command("teach") + " pneumonia --library " + lib + " --positive " + kNormal).exit_code, 2);
}
