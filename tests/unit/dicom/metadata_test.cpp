// Header reading: UTF-8 decoding of Specific Character Sets (fixtures written by
// tools/dicom/make_charset_fixtures.py with pydicom), and fields of real radiographs.
#include "test_util.h"

#include "cxr/dicom/dicom.h"

#include <gtest/gtest.h>

namespace cxr::dicom {
namespace {

std::string fixture(const std::string& name) { return std::string(CXR_TEST_FIXTURES_DIR) + "/dicom/charset/" + name; }

struct CharsetCase {
  const char* file;
  const char* expected_name;  // UTF-8
};

class CharsetTest : public ::testing::TestWithParam<CharsetCase> {};

TEST_P(CharsetTest, PatientNameIsDecodedToUtf8) {
  auto meta = read_metadata(fixture(GetParam().file));
  ASSERT_TRUE(meta) << meta.error().message;
  EXPECT_EQ(meta->patient_name, GetParam().expected_name) << "charset " << meta->specific_character_set;
  auto loaded = load_image(fixture(GetParam().file));  // the pixels load too
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_EQ(loaded->meta.patient_name, GetParam().expected_name);
  EXPECT_EQ(loaded->image.pixels[1], 4);
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, CharsetTest,
    ::testing::Values(CharsetCase{"korean_ir149.dcm", "Hong^Gildong=\xE6\xB4\xAA^\xE5\x90\x89\xE6\xB4\x9E=\xED\x99\x8D^\xEA\xB8\xB8\xEB\x8F\x99"},
                      CharsetCase{"japanese_ir87.dcm", "Yamada^Tarou=\xE5\xB1\xB1\xE7\x94\xB0^\xE5\xA4\xAA\xE9\x83\x8E=\xE3\x82\x84\xE3\x81\xBE\xE3\x81\xA0^\xE3\x81\x9F\xE3\x82\x8D\xE3\x81\x86"},
                      CharsetCase{"utf8_ir192.dcm", "Wang^XiaoDong=\xE7\x8E\x8B^\xE5\xB0\x8F\xE6\x9D\xB1"},
                      CharsetCase{"latin1_ir100.dcm", "Buc^J\xC3\xA9r\xC3\xB4me"}));

TEST(Metadata, ChestRadiographFields) {
  auto meta = read_metadata(test::shared_dicom("xray/966_fixed.dcm"));
  ASSERT_TRUE(meta) << meta.error().message;
  EXPECT_TRUE(meta->is_dicom);
  EXPECT_EQ(meta->modality, "DX");
  EXPECT_EQ(meta->rows, 2128);
  EXPECT_EQ(meta->columns, 2000);
  EXPECT_EQ(meta->photometric, "MONOCHROME1");
  EXPECT_EQ(meta->bits_stored, 12);
  EXPECT_EQ(meta->view_position, "PA");
  EXPECT_EQ(meta->transfer_syntax_uid, "1.2.840.10008.1.2.4.90");
  ASSERT_TRUE(meta->pixel_spacing_mm.has_value());
  EXPECT_DOUBLE_EQ(meta->pixel_spacing_mm->first, 0.16);
  ASSERT_FALSE(meta->windows.empty());
  EXPECT_DOUBLE_EQ(meta->windows[0].width, 4096);
  EXPECT_FALSE(meta->sop_instance_uid.empty());
  EXPECT_FALSE(meta->study_instance_uid.empty());
}

TEST(Metadata, MultiFrameAndNoFileMeta) {
  auto multi = read_metadata(test::shared_dicom("syntax/emri_small_RLE.dcm"));
  ASSERT_TRUE(multi) << multi.error().message;
  EXPECT_EQ(multi->frames, 10);
  EXPECT_EQ(multi->transfer_syntax_uid, "1.2.840.10008.1.2.5");
  auto no_meta = read_metadata(test::shared_dicom("syntax/ExplVR_LitEndNoMeta.dcm"));
  ASSERT_TRUE(no_meta) << no_meta.error().message;
  EXPECT_EQ(no_meta->transfer_syntax_uid, "1.2.840.10008.1.2.1");
}

TEST(Metadata, EnhancedMultiFrameWindowComesFromFunctionalGroups) {
  // eCT_Supplemental has no top-level Window Center; (0028,9132) Frame VOI LUT holds 49 / 102.
  auto meta = read_metadata(test::shared_dicom("syntax/eCT_Supplemental.dcm"));
  ASSERT_TRUE(meta) << meta.error().message;
  ASSERT_EQ(meta->windows.size(), 1u);
  EXPECT_DOUBLE_EQ(meta->windows[0].center, 49);
  EXPECT_DOUBLE_EQ(meta->windows[0].width, 102);
}

TEST(Metadata, PlainImagesAreNotDicom) {
  const std::string jpeg = std::string(CXR_SHARED_DATA_DIR) + "/cxr/nih-dev/images/00001280_004.jpg";
  auto meta = read_metadata(jpeg);
  ASSERT_TRUE(meta) << meta.error().message;
  EXPECT_FALSE(meta->is_dicom);
  EXPECT_EQ(meta->rows, 512);
  EXPECT_EQ(meta->columns, 512);
}

}  // namespace
}  // namespace cxr::dicom
