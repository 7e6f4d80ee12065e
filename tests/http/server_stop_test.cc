// Graceful stop: in-flight requests finish, idle connections close, Run() returns.
#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <future>
#include <memory>
#include <thread>

#include "http/server_fixture.h"
#include "keyward/http/server.h"
#include "support/https_client.h"

namespace keyward::http {
namespace {

using keyward::testing::HttpsClient;
using std::chrono::milliseconds;
using std::chrono::steady_clock;
using test::RunningServer;
using test::TestOptions;

TEST(ServerStopTest, StopLetsTheInFlightRequestFinish) {
  std::atomic<bool> entered{false};
  RunningServer s(TestOptions(), [&](const Request&) {
    entered = true;
    std::this_thread::sleep_for(milliseconds(700));
    return Response{200, {}, "finished"};
  });
  auto pending = std::async(std::launch::async, [port = s.port()] {
    HttpsClient client("127.0.0.1", port);
    return client.Send("GET", "/slow");
  });
  while (!entered) std::this_thread::sleep_for(milliseconds(5));
  const auto start = steady_clock::now();
  s.StopAndJoin();
  const auto r = pending.get();
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.body, "finished");
  EXPECT_EQ(r.Header("Connection"), "close");
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(3));
  // Nothing listens any more.
  HttpsClient late("127.0.0.1", s.port());
  EXPECT_EQ(late.Send("GET", "/").status, 0);
}

TEST(ServerStopTest, StopClosesIdleKeepAliveConnectionsPromptly) {
  ServerOptions o = TestOptions();
  o.idle_timeout_seconds = 60;
  RunningServer s(o);
  HttpsClient client("127.0.0.1", s.port());
  ASSERT_EQ(client.Send("GET", "/").status, 200);  // connection now idle, kept alive
  HttpsClient silent("127.0.0.1", s.port());
  auto handshake_only =
      std::async(std::launch::async, [&] { return silent.SendRaw(""); });
  std::this_thread::sleep_for(milliseconds(200));
  const auto start = steady_clock::now();
  s.StopAndJoin();
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(2));
  EXPECT_EQ(handshake_only.get(), "");
}

TEST(ServerStopTest, GraceBoundsAHandlerThatOutlivesIt) {
  ServerOptions o = TestOptions();
  o.shutdown_grace_seconds = 0;
  std::atomic<bool> entered{false};
  auto s = std::make_unique<RunningServer>(o, [&](const Request&) {
    entered = true;
    std::this_thread::sleep_for(milliseconds(1500));
    return Response{200, {}, "late"};
  });
  auto pending = std::async(std::launch::async, [port = s->port()] {
    HttpsClient client("127.0.0.1", port);
    return client.Send("GET", "/");
  });
  while (!entered) std::this_thread::sleep_for(milliseconds(5));
  const auto start = steady_clock::now();
  s->StopAndJoin();  // returns once the stuck worker is released
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(4));
  s.reset();      // closes whatever connection is left
  pending.get();  // whatever it got, it must not hang or crash
}

TEST(ServerStopTest, StopBeforeRunMakesRunReturn) {
  auto created = Server::Create(TestOptions(), test::Echo);
  ASSERT_TRUE(created.ok());
  std::unique_ptr<Server> server = std::move(created.value());
  server->Stop();
  server->Stop();  // idempotent
  const auto start = steady_clock::now();
  server->Run();
  EXPECT_LT(steady_clock::now() - start, std::chrono::seconds(1));
}

TEST(ServerStopTest, DestroyWithoutRunIsClean) {
  auto created = Server::Create(TestOptions(), test::Echo);
  ASSERT_TRUE(created.ok());
}

TEST(ServerStopTest, SigtermStopsTheServer) {
  ServerOptions o = TestOptions();
  o.handle_signals = true;
  RunningServer s(o);
  HttpsClient client("127.0.0.1", s.port());
  ASSERT_EQ(client.Send("GET", "/").status, 200);
  ::kill(::getpid(), SIGTERM);
  auto joined = std::async(std::launch::async, [&] { s.Join(); });
  EXPECT_EQ(joined.wait_for(std::chrono::seconds(3)), std::future_status::ready);
}

}  // namespace
}  // namespace keyward::http
