// The durable job queue: state machine, re-open on late instances, recovery after a crash,
// delivery retries and status counters. Real SQLite files in a temp dir.
#include "cxr/server/queue.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace cxr::server {
namespace {
namespace fs = std::filesystem;

class QueueTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("cxr-queue-" + std::to_string(::getpid()) + "-" +
                                        ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    auto q = JobQueue::open((dir_ / "queue.db").string());
    ASSERT_TRUE(q.ok()) << q.error().message;
    queue_ = std::move(*q);
  }
  void TearDown() override {
    queue_.reset();
    fs::remove_all(dir_);
  }
  static cxr::dicom::net::StoredInstance instance(const std::string& study, const std::string& sop) {
    cxr::dicom::net::StoredInstance i;
    i.study_instance_uid = study;
    i.sop_instance_uid = sop;
    i.sop_class_uid = "1.2.840.10008.5.1.4.1.1.1";
    i.path = "/data/" + study + "/" + sop + ".dcm";
    i.bytes = 100;
    return i;
  }
  fs::path dir_;
  std::unique_ptr<JobQueue> queue_;
};

TEST_F(QueueTest, StudyIsClaimedOnlyAfterQuietTimeAndOnlyOnce) {
  ASSERT_TRUE(queue_->record_instance(instance("1.1", "1.1.1"), 1000.0));
  ASSERT_TRUE(queue_->record_instance(instance("1.1", "1.1.2"), 1004.0));
  EXPECT_EQ(*queue_->claim_ready_study(1008.0, 5.0), "") << "last instance 4 s ago, quiet time 5 s";
  EXPECT_EQ(*queue_->claim_ready_study(1009.5, 5.0), "1.1");
  EXPECT_EQ(*queue_->claim_ready_study(1010.0, 5.0), "") << "already claimed";
  auto instances = queue_->study_instances("1.1");
  ASSERT_TRUE(instances.ok());
  EXPECT_EQ(instances->size(), 2u);
}

TEST_F(QueueTest, DuplicateInstanceDoesNotReopenButANewOneDoes) {
  ASSERT_TRUE(queue_->record_instance(instance("1.2", "1.2.1"), 0));
  ASSERT_EQ(*queue_->claim_ready_study(100, 1), "1.2");
  ASSERT_TRUE(queue_->finish_analysis("1.2", {"/r/sr.dcm"}, {}, 101));
  EXPECT_EQ(queue_->study_state("1.2")->first, "done");
  ASSERT_TRUE(queue_->record_instance(instance("1.2", "1.2.1"), 102));  // resend of the same SOP instance
  EXPECT_EQ(queue_->study_state("1.2")->first, "done");
  ASSERT_TRUE(queue_->record_instance(instance("1.2", "1.2.9"), 103));  // a late new instance
  EXPECT_EQ(queue_->study_state("1.2")->first, "receiving");
  EXPECT_EQ(queue_->status()->instances_received, 2);
}

TEST_F(QueueTest, InstanceArrivingDuringAnalysisReopensAfterIt) {
  ASSERT_TRUE(queue_->record_instance(instance("1.3", "1.3.1"), 0));
  ASSERT_EQ(*queue_->claim_ready_study(10, 1), "1.3");
  ASSERT_TRUE(queue_->record_instance(instance("1.3", "1.3.2"), 11));
  ASSERT_TRUE(queue_->finish_analysis("1.3", {"/r/sr.dcm"}, {"pacs"}, 12));
  auto st = queue_->study_state("1.3");
  EXPECT_EQ(st->first, "receiving") << "must be analysed again with the new instance";
  EXPECT_EQ(st->second, 1);
}

TEST_F(QueueTest, RecoverPutsInterruptedAnalysesBackAndKeepsCommittedWork) {
  ASSERT_TRUE(queue_->record_instance(instance("1.4", "1.4.1"), 0));
  ASSERT_TRUE(queue_->record_instance(instance("1.5", "1.5.1"), 0));
  ASSERT_EQ(*queue_->claim_ready_study(10, 1), "1.4");
  ASSERT_EQ(*queue_->claim_ready_study(10, 1), "1.5");
  ASSERT_TRUE(queue_->finish_analysis("1.5", {"/r/sr.dcm"}, {"pacs"}, 11));
  queue_.reset();  // "crash": reopen the file
  auto q = JobQueue::open((dir_ / "queue.db").string());
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(*(*q)->recover(), 1);
  EXPECT_EQ((*q)->study_state("1.4")->first, "receiving");
  EXPECT_EQ((*q)->study_state("1.5")->first, "analysed");
  auto due = (*q)->due_deliveries(12, 10);
  ASSERT_EQ(due->size(), 1u);
  EXPECT_EQ(due->front().files, std::vector<std::string>{"/r/sr.dcm"});
}

TEST_F(QueueTest, DeliveryRetriesThenDiesAndStudyIsDoneWhenAllSent) {
  ASSERT_TRUE(queue_->record_instance(instance("1.6", "1.6.1"), 0));
  ASSERT_EQ(*queue_->claim_ready_study(10, 1), "1.6");
  ASSERT_TRUE(queue_->finish_analysis("1.6", {"/r/sr.dcm"}, {"a", "b"}, 20));
  auto due = queue_->due_deliveries(20, 10);
  ASSERT_EQ(due->size(), 2u);
  int64_t a = due->at(0).destination == "a" ? due->at(0).id : due->at(1).id;
  int64_t b = due->at(0).destination == "b" ? due->at(0).id : due->at(1).id;
  ASSERT_TRUE(queue_->delivery_sent(a, 21));
  EXPECT_EQ(queue_->study_state("1.6")->first, "analysed") << "b is still pending";
  ASSERT_TRUE(queue_->delivery_failed(b, "refused", 30));
  EXPECT_TRUE(queue_->due_deliveries(25, 10)->empty()) << "backing off until t=30";
  ASSERT_EQ(queue_->due_deliveries(30, 10)->size(), 1u);
  EXPECT_EQ(queue_->due_deliveries(30, 10)->front().attempts, 1);
  ASSERT_TRUE(queue_->delivery_failed(b, "refused again", -1));
  EXPECT_TRUE(queue_->due_deliveries(1e12, 10)->empty());
  auto s = queue_->status();
  EXPECT_EQ(s->deliveries_sent, 1);
  EXPECT_EQ(s->deliveries_dead, 1);
  EXPECT_EQ(s->analyses, 1);
}

TEST_F(QueueTest, StatusReportsLatencyOfDoneStudies) {
  for (int i = 0; i < 4; ++i) {
    std::string study = "2." + std::to_string(i);
    ASSERT_TRUE(queue_->record_instance(instance(study, study + ".1"), 100));
    ASSERT_EQ(*queue_->claim_ready_study(200, 1), study);
    ASSERT_TRUE(queue_->finish_analysis(study, {"/r/sr.dcm"}, {"pacs"}, 101));
    auto due = queue_->due_deliveries(1000, 1);
    ASSERT_TRUE(queue_->delivery_sent(due->front().id, 100 + 2.0 * (i + 1)));  // 2, 4, 6, 8 s
  }
  auto s = JobQueue::read_status((dir_ / "queue.db").string());  // as `cxr serve --status` does
  ASSERT_TRUE(s.ok()) << s.error().message;
  EXPECT_EQ(s->studies_done, 4);
  EXPECT_DOUBLE_EQ(s->latency_mean_s, 5.0);
  EXPECT_DOUBLE_EQ(s->latency_p50_s, 4.0);
  EXPECT_DOUBLE_EQ(s->latency_max_s, 8.0);
  EXPECT_EQ(s->queue_depth, 0);
}

TEST_F(QueueTest, UnwritableLocationGivesAClearError) {
  auto q = JobQueue::open("/nonexistent-dir/queue.db");
  ASSERT_FALSE(q.ok());
  EXPECT_NE(q.error().message.find("/nonexistent-dir/queue.db"), std::string::npos);
}

}  // namespace
}  // namespace cxr::server
