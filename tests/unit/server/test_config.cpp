// Configuration parsing: the shipped example is valid; mistakes are reported with file and key.
#include "cxr/server/config.h"
#include "cxr/server/delivery.h"

#include <gtest/gtest.h>

namespace cxr::server {
namespace {

TEST(ServerConfig, ShippedExampleIsValid) {
  auto c = load_config(std::string(CXR_SOURCE_DIR) + "/resources/config/cxr-serve.example.json");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->node.ae_title, "CXR_ASSIST");
  EXPECT_EQ(c->node.accepted_classes.size(), 4u);
  ASSERT_EQ(c->destinations.size(), 2u);
  EXPECT_EQ(c->destinations[0].type, "dicom");
  EXPECT_EQ(c->destinations[0].peer.port, 4242);
  EXPECT_EQ(c->destinations[1].type, "stow-rs");
  EXPECT_EQ(c->node.storage_dir, c->data_dir + "/incoming");
}

TEST(ServerConfig, RelativePathsResolveAgainstTheFile) {
  auto c = parse_config(R"({"data_dir": "data", "notes_dir": "/abs/notes"})", "/etc/cxr", "x.json");
  ASSERT_TRUE(c.ok()) << c.error().message;
  EXPECT_EQ(c->data_dir, "/etc/cxr/data");
  EXPECT_EQ(c->notes_dir, "/abs/notes");
}

struct BadCase {
  const char* json;
  const char* expected_in_message;
};

class ServerConfigErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ServerConfigErrors, NamesTheKey) {
  auto c = parse_config(GetParam().json, "/tmp", "site.json");
  ASSERT_FALSE(c.ok());
  EXPECT_NE(c.error().message.find("site.json"), std::string::npos) << c.error().message;
  EXPECT_NE(c.error().message.find(GetParam().expected_in_message), std::string::npos) << c.error().message;
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ServerConfigErrors,
    ::testing::Values(BadCase{"{", "not valid JSON"}, BadCase{"{}", "data_dir"},
                      BadCase{R"({"data_dir":"d","node":{"portt":1}})", "node.portt"},
                      BadCase{R"({"data_dir":"d","node":{"port":70000}})", "node.port"},
                      BadCase{R"({"data_dir":"d","node":{"ae_title":"THIS_TITLE_IS_TOO_LONG"}})", "node.ae_title"},
                      BadCase{R"({"data_dir":"d","node":{"accepted_classes":["ct"]}})", "unknown SOP class name 'ct'"},
                      BadCase{R"({"data_dir":"d","analysis":{"engine":"magic"}})", "analysis.engine"},
                      BadCase{R"({"data_dir":"d","analysis":{"precision":"fp8"}})", "analysis.precision"},
                      BadCase{R"({"data_dir":"d","destinations":[{"name":"p","type":"dicom","peer":"PACS@host"}]})", "AET@HOST:PORT"},
                      BadCase{R"({"data_dir":"d","destinations":[{"name":"w","type":"stow-rs","url":"ftp://x"}]})", "http://"},
                      BadCase{R"({"data_dir":"d","destinations":[{"name":"a","type":"dicom","peer":"A@h:1"},{"name":"a","type":"dicom","peer":"A@h:1"}]})", "duplicate name"},
                      BadCase{R"({"data_dir":"d","retry":{"max_attempts":0}})", "retry.max_attempts"},
                      BadCase{R"({"data_dir":"d","log":{"level":"loud"}})", "log.level"}));

TEST(ServerConfig, MissingFileSaysWhereTheExampleIs) {
  auto c = load_config("/nonexistent/cxr.json");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.error().code, ErrorCode::kNotFound);
  EXPECT_NE(c.error().message.find("example"), std::string::npos);
}

TEST(Delivery, BackoffDoublesUpToTheCap) {
  RetryPolicy p{6, 2.0, 10.0};
  EXPECT_DOUBLE_EQ(backoff_seconds(p, 1), 2.0);
  EXPECT_DOUBLE_EQ(backoff_seconds(p, 2), 4.0);
  EXPECT_DOUBLE_EQ(backoff_seconds(p, 3), 8.0);
  EXPECT_DOUBLE_EQ(backoff_seconds(p, 4), 10.0);
}

}  // namespace
}  // namespace cxr::server
