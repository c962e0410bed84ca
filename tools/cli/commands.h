// The pixlake subcommands. Each returns the process exit code and prints errors as one line
// "pixlake: <message>" on stderr.
#pragma once

#include <string>
#include <vector>

namespace pixlake::cli {

int cmd_embed(const std::vector<std::string>& argv);
int cmd_classify(const std::vector<std::string>& argv);
int cmd_models(const std::vector<std::string>& argv);
int cmd_init(const std::vector<std::string>& argv);
int cmd_add(const std::vector<std::string>& argv);
int cmd_sync(const std::vector<std::string>& argv);
int cmd_search(const std::vector<std::string>& argv);
int cmd_info(const std::vector<std::string>& argv);
int cmd_check(const std::vector<std::string>& argv);
int cmd_tag(const std::vector<std::string>& argv);
int cmd_rm(const std::vector<std::string>& argv);
int cmd_meta(const std::vector<std::string>& argv);
int cmd_export(const std::vector<std::string>& argv);
int cmd_index(const std::vector<std::string>& argv);
int cmd_map(const std::vector<std::string>& argv);
int cmd_dups(const std::vector<std::string>& argv);
int cmd_outliers(const std::vector<std::string>& argv);
int cmd_cluster(const std::vector<std::string>& argv);
int cmd_bovw(const std::vector<std::string>& argv);
int cmd_serve(const std::vector<std::string>& argv);
int cmd_bench(const std::vector<std::string>& argv);

// Prints "pixlake: <message>" to stderr and returns the exit code for failures (1).
int fail(const std::string& message);

}  // namespace pixlake::cli
