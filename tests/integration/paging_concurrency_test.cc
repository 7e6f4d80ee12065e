// Paging /v1/users, /v1/keys and /v1/orgs while another thread inserts: no page
// repeats an item, and every item that existed before paging began is seen.
#include <atomic>
#include <functional>
#include <set>
#include <thread>

#include "tenancy_test.h"

namespace keyward::testing {
namespace {

using nlohmann::json;

class PagingConcurrencyTest : public TenancyTest {
 protected:
  struct Listing {
    std::string path;  // e.g. "/v1/users"
    std::function<json(HttpsClient&, int)>
        insert;  // adds one item through its own client
  };

  void PageWhileInserting(const Listing& listing, int existing) {
    std::set<std::string> before;
    for (const auto& item : PageAll(*client_, listing.path + "?limit=500")) {
      before.insert(item["id"].get<std::string>());
    }
    ASSERT_GE(static_cast<int>(before.size()), existing);

    std::atomic<bool> done{false};
    std::atomic<int> inserted{0};
    std::thread writer([&] {
      auto client = server_->Client();
      for (int i = 0; !done.load() && i < 400; ++i) {
        json created = listing.insert(*client, i);
        if (!created.contains("id")) {
          ADD_FAILURE() << "insert failed: " << created.dump();
          break;
        }
        inserted.fetch_add(1);
      }
    });
    // Start paging only once the writer is under way; small pages give it many
    // chances to land between them.
    while (inserted.load() == 0 && !HasFailure()) std::this_thread::yield();
    std::vector<std::string> seen;
    for (const auto& item : PageAll(*client_, listing.path + "?limit=3")) {
      seen.push_back(item["id"].get<std::string>());
    }
    done.store(true);
    writer.join();

    std::set<std::string> unique(seen.begin(), seen.end());
    EXPECT_EQ(unique.size(), seen.size()) << listing.path << ": an item was listed twice";
    for (const auto& id : before) {
      EXPECT_TRUE(unique.count(id)) << listing.path << ": " << id << " was skipped";
    }
  }

  // Follows next_cursor to the end.
  std::vector<json> PageAll(HttpsClient& client, const std::string& first) {
    std::vector<json> items;
    std::string target = first;
    for (int page = 0; page < 10000; ++page) {
      auto r = Call(client, "GET", target, admin_key_);
      EXPECT_EQ(r.status, 200) << r.body;
      if (r.status != 200) break;
      json body = Json(r);
      for (auto& item : body["items"]) items.push_back(std::move(item));
      if (body["next_cursor"].is_null()) break;
      const std::string base = first.substr(0, first.find('?'));
      const std::string limit = first.substr(first.find('?'));
      target = base + limit + "&cursor=" + body["next_cursor"].get<std::string>();
    }
    return items;
  }
};

TEST_F(PagingConcurrencyTest, Users) {
  const std::string org = NewOrg();
  for (int i = 0; i < 40; ++i) NewUser(org, "member");
  PageWhileInserting(
      {"/v1/users",
       [&](HttpsClient& c, int i) {
         return Json(Call(c, "POST", "/v1/users", admin_key_,
                          {{"username", "late" + std::to_string(i)}, {"org_id", org}}));
       }},
      40);
}

TEST_F(PagingConcurrencyTest, Keys) {
  for (int i = 0; i < 40; ++i) CreateKey({{"name", "k" + std::to_string(i)}});
  PageWhileInserting({"/v1/keys",
                      [&](HttpsClient& c, int i) {
                        return Json(Call(c, "POST", "/v1/keys", admin_key_,
                                         {{"name", "late" + std::to_string(i)}}));
                      }},
                     40);
}

TEST_F(PagingConcurrencyTest, Orgs) {
  for (int i = 0; i < 40; ++i) NewOrg();
  PageWhileInserting({"/v1/orgs",
                      [&](HttpsClient& c, int i) {
                        return Json(Call(c, "POST", "/v1/orgs", admin_key_,
                                         {{"name", "late" + std::to_string(i)}}));
                      }},
                     40);
}

}  // namespace
}  // namespace keyward::testing
