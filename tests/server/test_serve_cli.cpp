// `pixlake serve` as a process: prints where it listens, answers, stops cleanly on SIGTERM.
#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstring>

#include "lake/lake.h"
#include "server_fixture.h"

namespace pixlake::testing {
namespace {

namespace fs = std::filesystem;

TEST(ServeCliProcess, ListensAnswersAndStopsOnSigterm) {
  PIXLAKE_REQUIRE_SERVER_DATA();
  fs::path dir = server_fixture::copy_template_lake("serve_cli");
  int out[2];
  ASSERT_EQ(::pipe(out), 0);
  pid_t pid = ::fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::dup2(out[1], STDOUT_FILENO);
    ::close(out[0]);
    ::close(out[1]);
    ::setenv("PIXLAKE_DATA", data_dir().c_str(), 1);
    const std::string binary = pixlake_binary();
    const std::string lake = dir.string();
    ::execl(binary.c_str(), binary.c_str(), "serve", lake.c_str(), "--port", "0", "--token",
            "secret", static_cast<char*>(nullptr));
    ::_exit(127);
  }
  ::close(out[1]);
  // "pixlake: serving LAKE on http://127.0.0.1:PORT/api/ (read-write, token required)"
  std::string line;
  char c;
  while (::read(out[0], &c, 1) == 1 && c != '\n') line += c;
  ::close(out[0]);
  size_t at = line.find("127.0.0.1:");
  ASSERT_NE(at, std::string::npos) << line;
  const int port = std::atoi(line.c_str() + at + 10);
  EXPECT_NE(line.find("token required"), std::string::npos) << line;
  httplib::Client client("127.0.0.1", port);
  EXPECT_EQ(client.Get("/api/health")->status, 401);
  client.set_bearer_token_auth("secret");
  EXPECT_EQ(client.Get("/api/health")->status, 200);
  ASSERT_EQ(::kill(pid, SIGTERM), 0);
  int status = 0;
  ASSERT_EQ(::waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  // The writer lock went with the process: the lake can be opened for writing again.
  EXPECT_TRUE(Lake::open(dir.string(), Lake::Access::kWrite).is_ok());
  fs::remove_all(dir.parent_path());
}

}  // namespace
}  // namespace pixlake::testing
