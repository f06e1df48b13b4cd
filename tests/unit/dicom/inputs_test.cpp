// Input expansion: folders (recursive, non-images skipped with a note) and DICOMDIR media.
#include "test_util.h"

#include "cxr/dicom/dicom.h"

#include <gtest/gtest.h>

namespace cxr::dicom {
namespace {

namespace fs = std::filesystem;

TEST(Inputs, FolderIsWalkedRecursivelyAndNonImagesAreNoted) {
  const auto dir = test::scratch_dir("inputs");
  fs::create_directories(dir / "a" / "b");
  fs::copy_file(test::shared_dicom("syntax/MR_small_RLE.dcm"), dir / "a" / "b" / "IM1");  // no extension
  fs::copy_file(test::shared_dicom("syntax/ExplVR_LitEndNoMeta.dcm"), dir / "a" / "no_meta.dcm");
  fs::copy_file(std::string(CXR_SHARED_DATA_DIR) + "/cxr/nih-dev/images/00001280_004.jpg", dir / "x.jpg");
  test::write_bytes((dir / "README.txt").string(), {'h', 'i', '\n'});
  std::vector<std::string> notes;
  auto items = expand_inputs({dir.string()}, &notes);
  ASSERT_TRUE(items) << items.error().message;
  std::vector<std::string> names;
  for (const auto& item : *items) names.push_back(fs::path(item.path).filename().string());
  EXPECT_EQ(names, (std::vector<std::string>{"IM1", "no_meta.dcm", "x.jpg"}));
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0].find("README.txt: skipped"), std::string::npos) << notes[0];
}

TEST(Inputs, DicomdirMediaListsItsImages) {
  const fs::path media = test::shared_dicom("dicomdir/TINY_ALPHA");
  size_t files_on_media = 0;
  for (const auto& entry : fs::recursive_directory_iterator(media))
    files_on_media += entry.is_regular_file() && entry.path().filename() != "DICOMDIR" &&
                      entry.path().filename() != "README";
  for (const std::string& given : {media.string(), (media / "DICOMDIR").string()}) {
    auto items = expand_inputs({given});
    ASSERT_TRUE(items) << items.error().message;
    EXPECT_EQ(items->size(), files_on_media) << given;
    for (const auto& item : *items) EXPECT_TRUE(fs::exists(item.path)) << item.path;
  }
  auto items = expand_inputs({media.string()});
  ASSERT_TRUE(items && !items->empty());
  auto first = read_metadata(items->front().path);  // this test media set has headers only, no pixels
  ASSERT_TRUE(first) << first.error().message;
  EXPECT_EQ(first->modality, "CT");
}

TEST(Inputs, MissingPathIsAnError) {
  auto items = expand_inputs({"/no/such/path.dcm"});
  ASSERT_FALSE(items);
  EXPECT_EQ(items.error().code, ErrorCode::kNotFound);
  EXPECT_NE(items.error().message.find("/no/such/path.dcm"), std::string::npos);
}

TEST(Inputs, SniffsByContentNotName) {
  EXPECT_EQ(sniff_file(test::shared_dicom("syntax/ExplVR_LitEndNoMeta.dcm")), FileKind::kDicom);
  EXPECT_EQ(sniff_file(test::shared_dicom("xray/RG2_JPLL.dcm")), FileKind::kDicom);
  EXPECT_EQ(sniff_file(std::string(CXR_SHARED_DATA_DIR) + "/cxr/nih-dev/images/00001280_004.jpg"), FileKind::kJpeg);
  EXPECT_EQ(sniff_file(std::string(CXR_SHARED_DATA_DIR) + "/README.md"), FileKind::kOther);
}

}  // namespace
}  // namespace cxr::dicom
