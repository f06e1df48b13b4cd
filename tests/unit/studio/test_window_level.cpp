// Window/level state and presets, on real radiographs from shared/data.
#include "studio_tests.h"

#include "cxr/dicom/image.h"
#include "vm/image_loader.h"
#include "vm/window_level.h"

#include <QSignalSpy>
#include <QTest>

#include <numeric>

using namespace cxr::studio;

namespace {
double mean(const cxr::dicom::Image8& img) {
  return std::accumulate(img.pixels.begin(), img.pixels.end(), 0.0) / static_cast<double>(img.pixels.size());
}
}  // namespace

void WindowLevelTest::presetsFollowTheImageRange() {
  const auto loaded = load_viewer_image(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"));
  QVERIFY2(loaded.image, qPrintable(loaded.error));
  const ImageValueStats& s = loaded.image->stats;
  QVERIFY(!s.monochrome1);
  QVERIFY(s.min <= s.p_low && s.p_low < s.p_high && s.p_high <= s.max);
  const double range = s.p_high - s.p_low;
  const auto lung = preset_window(PresetId::kLung, s, {});
  const auto mediastinum = preset_window(PresetId::kMediastinum, s, {});
  const auto bone = preset_window(PresetId::kBone, s, {});
  QCOMPARE(lung.center, s.p_low + 0.35 * range);
  QCOMPARE(lung.width, 0.60 * range);
  // In MONOCHROME2 the air-filled lung is dark: its window sits below the mediastinum's and bone's.
  QVERIFY(lung.center < mediastinum.center);
  QVERIFY(mediastinum.center < bone.center);
  const auto full = preset_window(PresetId::kFullRange, s, {});
  QCOMPARE(full.width, s.max - s.min);
  // The lung window makes the image darker on average than the bone window does (real pixels).
  const auto lung_img = cxr::dicom::apply_window(loaded.image->pixels, {lung.center, lung.width, {}});
  const auto bone_img = cxr::dicom::apply_window(loaded.image->pixels, {bone.center, bone.width, {}});
  QVERIFY(mean(lung_img) > mean(bone_img));
}

void WindowLevelTest::monochrome1PresetsAreMirrored() {
  ImageValueStats s;
  s.min = 0;
  s.max = 4095;
  s.p_low = 100;
  s.p_high = 4000;
  ImageValueStats m1 = s;
  m1.monochrome1 = true;
  const double range = s.p_high - s.p_low;
  QCOMPARE(preset_window(PresetId::kLung, m1, {}).center, s.p_low + 0.65 * range);
  QCOMPARE(preset_window(PresetId::kBone, m1, {}).center, s.p_low + 0.20 * range);
  QCOMPARE(preset_window(PresetId::kLung, m1, {}).width, preset_window(PresetId::kLung, s, {}).width);
}

void WindowLevelTest::monochrome1FileIsDisplayedInverted() {
  // The same pixels stored as MONOCHROME1 must display as the photographic negative.
  const auto m2 = load_viewer_image(shared_data("dicom/xray/rsna_cr_jpeg_baseline.dcm"));
  const auto m1 = load_viewer_image(shared_data("dicom/xray/rsna_cr_jpeg_baseline_monochrome1.dcm"));
  QVERIFY2(m2.image && m1.image, qPrintable(m2.error + m1.error));
  QVERIFY(m1.image->pixels.monochrome1);
  QVERIFY(!m2.image->pixels.monochrome1);
  const cxr::dicom::Window w{128, 256, {}};
  const auto a = cxr::dicom::apply_window(m2.image->pixels, w);
  const auto b = cxr::dicom::apply_window(m1.image->pixels, w);
  QCOMPARE(a.pixels.size(), b.pixels.size());
  QVERIFY(std::abs(mean(a) + mean(b) - 255.0) < 2.0);
  QVERIFY(std::abs(mean(a) - mean(b)) > 10.0);  // not a symmetric image: inversion is visible
}

void WindowLevelTest::ctUsesHounsfieldPresets() {
  const auto ct = load_viewer_image(shared_data("dicom/syntax/eCT_Supplemental.dcm"));
  if (!ct.image) QSKIP(qPrintable(QStringLiteral("CT sample not loadable here: ") + ct.error));
  QVERIFY(ct.image->stats.hounsfield);
  QCOMPARE(preset_window(PresetId::kLung, ct.image->stats, {}).center, -600.0);
  QCOMPARE(preset_window(PresetId::kLung, ct.image->stats, {}).width, 1500.0);
  QCOMPARE(preset_window(PresetId::kBone, ct.image->stats, {}).width, 1800.0);
}

void WindowLevelTest::dragAndGeometry() {
  WindowLevelState state;
  ImageValueStats s;
  s.min = s.p_low = 0;
  s.max = s.p_high = 1000;
  QSignalSpy window_spy(&state, &WindowLevelState::windowChanged);
  QSignalSpy geometry_spy(&state, &WindowLevelState::geometryChanged);
  state.setImage(s, {}, 200, 100);
  QCOMPARE(state.center(), 500.0);
  QCOMPARE(state.width(), 1000.0);
  state.dragWindow(50, -25);  // right widens, up lowers the centre; 1 px = 2 units here
  QCOMPARE(state.width(), 1100.0);
  QCOMPARE(state.center(), 450.0);
  state.dragWindow(-100000, 0);
  QCOMPARE(state.width(), 1.0);  // clamped
  QVERIFY(window_spy.count() >= 3);
  state.rotateClockwise();
  state.rotateClockwise();
  state.rotateClockwise();
  state.rotateClockwise();
  QCOMPARE(state.rotation(), 0);
  state.rotateCounterClockwise();
  QCOMPARE(state.rotation(), 270);
  state.flipHorizontally();
  QVERIFY(state.flippedHorizontally());
  state.setFitZoom(0.5);
  QCOMPARE(state.zoom(), 0.5);
  state.zoomBy(1000);
  QVERIFY(!state.fitToView());
  QCOMPARE(state.zoom(), 32.0);
  state.setOneToOne();
  QCOMPARE(state.zoom(), 1.0);
  state.panBy(10, -5);
  QCOMPARE(state.panX(), 10.0);
  state.resetGeometry();
  QVERIFY(state.fitToView());
  QCOMPARE(state.rotation(), 0);
  QVERIFY(!state.flippedHorizontally());
  QCOMPARE(state.panX(), 0.0);
  QVERIFY(geometry_spy.count() >= 8);
  state.setWindow(-600.4, 1500.2);
  QCOMPARE(state.windowLabel(), QStringLiteral("W 1500  L -600"));
  state.toggleInverted();
  QVERIFY(state.inverted());
}

void WindowLevelTest::fileWindowsComeFromTheHeader() {
  const auto img = load_viewer_image(shared_data("dicom/xray/RG2_JPLL.dcm"));
  QVERIFY2(img.image, qPrintable(img.error));
  QCOMPARE(static_cast<int>(img.image->file_windows.size()), 1);
  QCOMPARE(img.image->file_windows[0].center, 511.0);
  QCOMPARE(img.image->file_windows[0].width, 1024.0);
  WindowLevelState state;
  state.setImage(img.image->stats, img.image->file_windows, img.image->pixels.width, img.image->pixels.height);
  QCOMPARE(state.center(), 511.0);  // default = the file's first VOI window
  state.applyPreset(PresetId::kLung);
  QVERIFY(state.center() != 511.0);
  state.applyFileWindow(0);
  QCOMPARE(state.width(), 1024.0);
  state.applyFileWindow(5);  // out of range: ignored
  QCOMPARE(state.width(), 1024.0);
}
