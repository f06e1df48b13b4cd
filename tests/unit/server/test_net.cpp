// dicom/net in one process: our SCP and SCU talk over loopback on a free port. Durable write before
// the acknowledgement, a sink failure refuses the instance, AE title checks, association limit.
#include "cxr/dicom/net.h"

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <mutex>

namespace cxr::dicom::net {
namespace {
namespace fs = std::filesystem;

uint16_t free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

// Records what it receives; can be told to refuse.
class RecordingSink : public StoreSink {
 public:
  Status on_stored(const StoredInstance& i) override {
    std::lock_guard<std::mutex> lock(mutex);
    if (refuse) return make_error(ErrorCode::kIo, "queue full");
    // The contract: the file is complete on disk before the sink is called.
    file_existed.push_back(fs::exists(i.path) && fs::file_size(i.path) == i.bytes);
    received.push_back(i);
    return Status::Ok();
  }
  std::mutex mutex;
  bool refuse = false;
  std::vector<StoredInstance> received;
  std::vector<bool> file_existed;
};

class NetTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cxr-net-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    config_.port = free_port();
    config_.storage_dir = (dir_ / "store").string();
    config_.allowed_calling_aes = {"TESTSCU"};
  }
  void TearDown() override {
    if (scp_) scp_->stop(5);
    fs::remove_all(dir_);
  }
  void start() {
    auto scp = StoreScp::start(config_, &sink_);
    ASSERT_TRUE(scp.ok()) << scp.error().message;
    scp_ = std::move(*scp);
  }
  ScuOptions scu(const std::string& calling = "TESTSCU", const std::string& called = "CXR_ASSIST") const {
    ScuOptions o;
    o.calling_ae = calling;
    o.peer = {called, "127.0.0.1", config_.port};
    o.timeout_s = 10;
    return o;
  }
  static std::string sample(const std::string& name) { return std::string(CXR_SHARED_DATA_DIR) + "/dicom/xray/" + name; }

  fs::path dir_;
  ScpConfig config_;
  RecordingSink sink_;
  std::unique_ptr<StoreScp> scp_;
};

TEST_F(NetTest, EchoAndStoreWriteTheFileBeforeTheSinkAndAcknowledge) {
  start();
  ASSERT_TRUE(echo(scu()).ok());
  std::string src = sample("rsna_cr_jpeg_baseline.dcm");
  Status s = store_files(scu(), {src, sample("RG2_JPLY.dcm")});
  ASSERT_TRUE(s.ok()) << s.error().message;
  ASSERT_EQ(sink_.received.size(), 2u);
  EXPECT_TRUE(sink_.file_existed[0] && sink_.file_existed[1]);
  const auto& first = sink_.received[0];
  EXPECT_EQ(first.sop_class_uid, "1.2.840.10008.5.1.4.1.1.7");  // this RSNA sample is a secondary capture
  EXPECT_EQ(sink_.received[1].sop_class_uid, "1.2.840.10008.5.1.4.1.1.1");  // NEMA RG2: CR, JPEG lossy
  EXPECT_EQ(first.calling_ae, "TESTSCU");
  EXPECT_EQ(first.path, config_.storage_dir + "/" + first.study_instance_uid + "/" + first.sop_instance_uid + ".dcm");
  // Stored as received: same transfer syntax (JPEG baseline) and same pixel bytes size.
  EXPECT_NEAR(static_cast<double>(fs::file_size(first.path)), static_cast<double>(fs::file_size(src)), 2048);
  auto c = scp_->counters();
  EXPECT_EQ(c.instances_stored, 2u);
  EXPECT_EQ(c.echoes, 1u);
  for (const auto& e : fs::recursive_directory_iterator(config_.storage_dir))
    EXPECT_EQ(e.path().string().find(".tmp."), std::string::npos) << "temporary file left: " << e.path();
}

TEST_F(NetTest, SinkFailureRefusesTheInstance) {
  sink_.refuse = true;
  start();
  Status s = store_files(scu(), {sample("rsna_cr_jpeg_baseline.dcm")});
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("0xA700"), std::string::npos) << s.error().message;
  EXPECT_EQ(scp_->counters().instances_failed, 1u);
}

TEST_F(NetTest, UnknownCallingAndWrongCalledAeAreRejected) {
  start();
  Status s = echo(scu("INTRUDER"));
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, ErrorCode::kNetwork);
  EXPECT_FALSE(echo(scu("TESTSCU", "OTHER_AE")).ok());
  EXPECT_EQ(scp_->counters().associations_rejected, 2u);
}

TEST_F(NetTest, ClassOutsideThePolicyIsNotAccepted) {
  config_.accepted_classes = {"1.2.840.10008.5.1.4.1.1.1"};  // CR only
  start();
  Status s = store_files(scu(), {sample("rsna_cr_jpeg_baseline.dcm")});  // a secondary capture
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.error().message.find("Presentation Contexts"), std::string::npos) << s.error().message;
  EXPECT_TRUE(sink_.received.empty());
}

TEST_F(NetTest, PortInUseIsAClearError) {
  start();
  auto second = StoreScp::start(config_, &sink_);
  ASSERT_FALSE(second.ok());
  EXPECT_NE(second.error().message.find(std::to_string(config_.port)), std::string::npos) << second.error().message;
}

TEST_F(NetTest, StopIsPromptAndIdempotent) {
  start();
  auto t0 = std::chrono::steady_clock::now();
  scp_->stop(5);
  scp_->stop(5);
  EXPECT_LT(std::chrono::steady_clock::now() - t0, std::chrono::seconds(3));
  EXPECT_FALSE(echo(scu()).ok());
}

TEST(NetHelpers, ParsePeer) {
  auto p = parse_peer("ORTHANC@127.0.0.1:4242");
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->ae_title, "ORTHANC");
  EXPECT_EQ(p->host, "127.0.0.1");
  EXPECT_EQ(p->port, 4242);
  for (const char* bad : {"ORTHANC", "@h:1", "A@:1", "A@h:", "A@h:0", "A@h:99999", "A@h:x1", "WAY_TOO_LONG_AE_TITLE@h:1"})
    EXPECT_FALSE(parse_peer(bad).ok()) << bad;
}

TEST(NetHelpers, DurableWriteReplacesAtomically) {
  fs::path dir = fs::temp_directory_path() / ("cxr-durable-" + std::to_string(::getpid()));
  std::string path = (dir / "a" / "b.txt").string();
  ASSERT_TRUE(write_file_durably(path, "first").ok());
  ASSERT_TRUE(write_file_durably(path, "second").ok());
  EXPECT_EQ(fs::file_size(path), 6u);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir / "a"), fs::directory_iterator{}), 1);
  Status s = write_file_durably("/proc/cxr-cannot-write/x", "y");
  EXPECT_FALSE(s.ok());
  fs::remove_all(dir);
}

TEST(NetHelpers, StorageClassNames) {
  EXPECT_EQ(*storage_class_uid("cr"), "1.2.840.10008.5.1.4.1.1.1");
  EXPECT_EQ(*storage_class_uid("1.2.3"), "1.2.3");
  EXPECT_FALSE(storage_class_uid("ct").ok());
  EXPECT_TRUE(is_analysable_class("1.2.840.10008.5.1.4.1.1.1.1.1"));  // DX for processing
  EXPECT_FALSE(is_analysable_class("1.2.840.10008.5.1.4.1.1.88.33"));  // SR
}

}  // namespace
}  // namespace cxr::dicom::net
