// Study notes for the analysis: the sidecar file first, then the clinical text of the study's header.
#include "cxr/dicom/metadata.h"
#include "cxr/server/study_analyzer.h"

#include <gtest/gtest.h>

namespace cxr::server {
namespace {

TEST(StudyNotes, SidecarComesFirstThenTheHeaderText) {
  std::string image = std::string(CXR_SHARED_DATA_DIR) + "/dicom/xray/rsna_cr_jpeg_baseline.dcm";
  auto meta = cxr::dicom::read_metadata(image);
  ASSERT_TRUE(meta.ok()) << meta.error().message;
  StudyInput input;
  input.instances.push_back({image, meta->sop_class_uid, meta->sop_instance_uid});
  input.sidecar_notes = "Fever and productive cough for 3 days.";
  std::string notes = study_notes(input);
  EXPECT_EQ(notes.rfind(input.sidecar_notes, 0), 0u) << notes;
  std::string expected = input.sidecar_notes + (meta->clinical_text.empty() ? "" : "\n" + meta->clinical_text);
  EXPECT_EQ(notes, expected);
}

TEST(StudyNotes, UnreadableInstanceContributesNothing) {
  StudyInput input;
  input.instances.push_back({"/nonexistent/x.dcm", "1.2.840.10008.5.1.4.1.1.1", "1.2.3"});
  input.sidecar_notes = "notes";
  EXPECT_EQ(study_notes(input), "notes");
}

TEST(StudyAnalyzerFactory, UnknownEngineIsAnError) {
  AnalysisConfig config;
  config.engine = "magic";
  auto a = make_study_analyzer(config);
  ASSERT_FALSE(a.ok());
  EXPECT_NE(a.error().message.find("pipeline-check"), std::string::npos);
}

TEST(StudyAnalyzerFactory, PipelineCheckRefusesAStudyWithoutAnalysableImages) {
  AnalysisConfig config;
  config.engine = "pipeline-check";
  auto a = make_study_analyzer(config);
  ASSERT_TRUE(a.ok());
  StudyInput input;
  input.study_instance_uid = "1.2.3";
  input.instances.push_back({std::string(CXR_SHARED_DATA_DIR) + "/dicom/sr/test-SR.dcm", "1.2.840.10008.5.1.4.1.1.88.33", "1.2.3.4"});
  auto out = (*a)->analyze(input);
  ASSERT_FALSE(out.ok());
  EXPECT_EQ(out.error().code, ErrorCode::kUnsupported);
  EXPECT_NE(out.error().message.find("no instance of an analysable class"), std::string::npos);
}

}  // namespace
}  // namespace cxr::server
