#include "keyward/usage/audit_writer.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>

namespace keyward::usage {
namespace {

class AuditWriterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string templ =
        (std::filesystem::temp_directory_path() / "keyward-audit-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    auto opened = store::Store::Open(dir_ + "/keyward.db");
    ASSERT_TRUE(opened.ok()) << opened.error().message;
    store_ = std::move(opened).value();
  }
  void TearDown() override {
    store_.reset();
    std::filesystem::remove_all(dir_);
  }

  static service::AuditEvent Event(const std::string& action, const std::string& id) {
    service::AuditEvent e;
    e.at = 1000;
    e.action = action;
    e.target_type = "key";
    e.target_id = id;
    e.outcome = action == service::kAuthDenied ? "denied" : "success";
    e.details["why"] = "quote \" and \\ and \x01";
    return e;
  }

  std::vector<store::AuditRecord> All() {
    store::AuditFilter f;
    f.limit = 500;
    auto page = store_->ListAuditEvents(f);
    EXPECT_TRUE(page.ok());
    return page.ok() ? page->items : std::vector<store::AuditRecord>{};
  }

  std::string dir_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(AuditWriterTest, WriteEventsAreStoredBeforeRecordReturns) {
  AuditWriter writer(*store_, std::chrono::hours(1));
  writer.Record(Event("key.create", "key_1"));
  auto rows = All();
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0].action, "key.create");
  EXPECT_EQ(rows[0].details_json, R"({"why":"quote \" and \\ and \u0001"})");
}

TEST_F(AuditWriterTest, DenialsAreQueuedBoundedAndDropsCounted) {
  metrics::Metrics metrics;
  AuditWriter writer(*store_, std::chrono::hours(1), &metrics, /*max_queued=*/3);
  for (int i = 0; i < 5; ++i)
    writer.Record(Event(service::kAuthDenied, "k" + std::to_string(i)));
  EXPECT_TRUE(All().empty());  // queued, not written on the request path
  EXPECT_EQ(writer.dropped(), 2u);
  EXPECT_NE(metrics.Render().find("keyward_audit_events_dropped_total 2"),
            std::string::npos);
  ASSERT_TRUE(writer.Flush().ok());
  EXPECT_EQ(All().size(), 3u);
  writer.Record(Event(service::kAuthDenied, "k9"));
  writer.Stop();  // flushes what is left
  EXPECT_EQ(All().size(), 4u);
}

TEST_F(AuditWriterTest, ListsNewestFirstWithFiltersAndCursor) {
  AuditWriter writer(*store_, std::chrono::hours(1));
  for (int i = 0; i < 5; ++i)
    writer.Record(Event("key.update", "key_" + std::to_string(i)));
  store::AuditFilter f;
  f.limit = 2;
  auto first = store_->ListAuditEvents(f);
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->items.size(), 2u);
  EXPECT_EQ(first->items[0].target_id, "key_4");
  ASSERT_TRUE(first->next_after.has_value());
  f.before_id = *first->next_after;
  auto second = store_->ListAuditEvents(f);
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->items[0].target_id, "key_2");
  store::AuditFilter one;
  one.target_id = "key_3";
  auto only = store_->ListAuditEvents(one);
  ASSERT_TRUE(only.ok());
  ASSERT_EQ(only->items.size(), 1u);
}

}  // namespace
}  // namespace keyward::usage
